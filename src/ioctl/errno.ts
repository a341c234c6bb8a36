/**
 * The errno values the card device can return (docs/kernel-contract.md §4.1 and §4.3) and a sentence for
 * each: what it means here and what to do. Values are Linux's asm-generic numbers, which
 * powerpc shares for every code listed.
 */
export const EPERM = 1;
export const ENOENT = 2;
export const EINTR = 4;
export const EIO = 5;
export const ENXIO = 6;
export const EAGAIN = 11;
export const ENOMEM = 12;
export const EACCES = 13;
export const EFAULT = 14;
export const EBUSY = 16;
export const ENODEV = 19;
export const EINVAL = 22;
export const ENOTTY = 25;
export const ENOSYS = 38;

const NAMES: Record<number, string> = {
  [EPERM]: 'EPERM',
  [ENOENT]: 'ENOENT',
  [EINTR]: 'EINTR',
  [EIO]: 'EIO',
  [ENXIO]: 'ENXIO',
  [EAGAIN]: 'EAGAIN',
  [ENOMEM]: 'ENOMEM',
  [EACCES]: 'EACCES',
  [EFAULT]: 'EFAULT',
  [EBUSY]: 'EBUSY',
  [ENODEV]: 'ENODEV',
  [EINVAL]: 'EINVAL',
  [ENOTTY]: 'ENOTTY',
  [ENOSYS]: 'ENOSYS',
};

export function errnoName(errno: number): string {
  return NAMES[errno] ?? `errno ${errno}`;
}

/** Which call failed; the same errno means different things on open and on a transfer. */
export type DeviceOperation = 'open' | 'download' | 'validate' | 'close';

export interface ErrnoExplanation {
  readonly errno: number;
  readonly name: string;
  /** what happened, in the terms of this adapter */
  readonly meaning: string;
  /** the next thing the user should do */
  readonly action: string;
  /** whether the driver reset the adapter as part of this failure (§4.4) */
  readonly adapterReset: boolean;
}

const TRANSFER = (op: DeviceOperation): boolean => op === 'download' || op === 'validate';

function explainText(
  errno: number,
  op: DeviceOperation,
): Omit<ErrnoExplanation, 'errno' | 'name'> | null {
  const transfer = TRANSFER(op);
  switch (errno) {
    case EINVAL:
      if (transfer)
        return {
          meaning:
            op === 'validate'
              ? 'The hypervisor rejected the validation (H_BAD_DATA: the adapter does not hold this image, or H_PARAMETER/H_SG_LIST/H_FUNCTION), or the driver refused the request.'
              : 'The hypervisor or the driver rejected the download (H_PARAMETER, H_FUNCTION, H_SG_LIST or H_BAD_DATA), or the request number or struct was wrong for this kernel.',
          action:
            'The adapter was reset and holds no valid image. Read the hypervisor code from the kernel log (shown when available), then run a complete flash again with a verified image.',
          adapterReset: true,
        };
      return {
        meaning: 'The driver rejected the request as invalid.',
        action: 'Check that this is a cxl card device on a PowerVM guest (`cxl-flasher doctor`).',
        adapterReset: false,
      };
    case EBUSY:
      return {
        meaning:
          'The hypervisor refused or timed out (H_AUTHORITY, H_RESOURCE, H_HARDWARE, H_STATE, or 120 s of long-busy).',
        action: transfer
          ? 'The adapter was reset and holds no valid image. Read the hypervisor code from the kernel log, check that this partition owns the privileged facility, then flash again.'
          : 'Wait until the adapter is idle and try again.',
        adapterReset: transfer,
      };
    case EFAULT:
      return {
        meaning: 'The kernel could not read the request struct from this process’s memory.',
        action:
          'This is a bug in cxl-flasher; report it with `cxl-flasher doctor --json`. The adapter was not touched by this call.',
        adapterReset: false,
      };
    case ENOMEM:
      return {
        meaning:
          op === 'open'
            ? 'The kernel could not allocate the 257 pages the card device needs.'
            : 'The kernel ran out of memory while preparing the chunk.',
        action: transfer
          ? 'The adapter was reset. Free memory on this partition and flash again.'
          : 'Free memory on this partition and try again.',
        adapterReset: transfer,
      };
    case EPERM:
      return {
        meaning:
          op === 'open'
            ? 'The open was interrupted by a signal while another process held a card device (the driver allows one opener system-wide and answers EPERM, not EINTR).'
            : 'The operation is not permitted.',
        action:
          'Find who holds the card device (`cxl-flasher list`), let it finish, then try again.',
        adapterReset: false,
      };
    case ENODEV:
      return {
        meaning: 'The adapter behind this card device is gone (removed or being re-probed).',
        action: 'Wait for the card to come back (`cxl-flasher status --watch`), then retry.',
        adapterReset: false,
      };
    case EACCES:
      return {
        meaning:
          'This user may not open the card device (the device node’s mode is the only gate).',
        action: 'Run cxl-flasher as root, or with sudo.',
        adapterReset: false,
      };
    case ENOENT:
      return {
        meaning: 'The card device node does not exist.',
        action:
          'Check that the cxl module is loaded and that this is a PowerVM guest; card devices exist only there (`cxl-flasher doctor`).',
        adapterReset: false,
      };
    case ENOTTY:
      return {
        meaning: 'The file is not a device that understands this ioctl.',
        action: 'Point cxl-flasher at /dev/cxl/cardN, not at a regular file.',
        adapterReset: false,
      };
    case ENOSYS:
      return {
        meaning: 'The system does not implement this call (seen under qemu-user emulation).',
        action: 'Run cxl-flasher on the PowerVM guest itself.',
        adapterReset: false,
      };
    case EINTR:
      return {
        meaning: 'The call was interrupted by a signal.',
        action: 'Try again.',
        adapterReset: false,
      };
    default:
      return null;
  }
}

/** Explain an errno returned by one of the card device calls. */
export function explainErrno(errno: number, op: DeviceOperation): ErrnoExplanation {
  const text = explainText(errno, op) ?? {
    meaning: `The ${op} call failed with an error the card driver is not known to return.`,
    action: TRANSFER(op)
      ? 'Assume the adapter was reset; run `cxl-flasher recover`.'
      : 'Run `cxl-flasher doctor` and check the kernel log.',
    adapterReset: TRANSFER(op),
  };
  return { errno, name: errnoName(errno), ...text };
}

/**
 * H_DOWNLOAD_CA_FACILITY return codes and how the driver turns them into errno
 * (docs/kernel-contract.md §4.3, from hcalls.c `cxl_h_download_facility` and asm/hvcall.h).
 */
import { EBUSY, EINVAL } from './errno.js';

export const H_SUCCESS = 0;
export const H_BUSY = 1;
export const H_CONTINUE = 18;
export const H_HARDWARE = -1;
export const H_FUNCTION = -2;
export const H_PARAMETER = -4;
export const H_NOT_FOUND = -7;
export const H_AUTHORITY = -10;
export const H_RESOURCE = -16;
export const H_UNSUPPORTED = -67;
export const H_BAD_DATA = -70;
export const H_SG_LIST = -72;
export const H_STATE = -75;
/** §4.7: H_LONG_BUSY_ORDER_1_MSEC .. H_LONG_BUSY_ORDER_100_SEC */
export const H_LONG_BUSY_FIRST = 9900;
export const H_LONG_BUSY_LAST = 9905;
/** §4.7: cumulative long-busy sleep after which the driver gives up with EBUSY. */
export const CXL_HCALL_TIMEOUT_DOWNLOAD_MS = 120_000;
/** §4.7: the same cap for the reset and control hcalls. */
export const CXL_HCALL_TIMEOUT_MS = 60_000;

export interface HcallCode {
  readonly name: string;
  readonly value: number;
  /** what the ioctl returns: a value (0 or 1) or a negative errno */
  readonly errno: number | null;
  readonly meaning: string;
}

const codes: readonly HcallCode[] = [
  { name: 'H_SUCCESS', value: H_SUCCESS, errno: null, meaning: 'the pass is complete' },
  {
    name: 'H_CONTINUE',
    value: H_CONTINUE,
    errno: null,
    meaning: 'the hypervisor wants the next chunk within 3 seconds',
  },
  {
    name: 'H_PARAMETER',
    value: H_PARAMETER,
    errno: EINVAL,
    meaning: 'the hypervisor rejected a parameter of the call (unit address, operation or token)',
  },
  {
    name: 'H_FUNCTION',
    value: H_FUNCTION,
    errno: EINVAL,
    meaning: 'this firmware does not support downloading an adapter image',
  },
  {
    name: 'H_SG_LIST',
    value: H_SG_LIST,
    errno: EINVAL,
    meaning: 'the hypervisor found an invalid scatter/gather entry',
  },
  {
    name: 'H_BAD_DATA',
    value: H_BAD_DATA,
    errno: EINVAL,
    meaning:
      'the hypervisor rejected the image data: verification failed, or the header version is not supported',
  },
  {
    name: 'H_AUTHORITY',
    value: H_AUTHORITY,
    errno: EBUSY,
    meaning:
      'this partition has no authority to flash the adapter (not licensed, or not the privileged facility owner)',
  },
  {
    name: 'H_RESOURCE',
    value: H_RESOURCE,
    errno: EBUSY,
    meaning: 'the hypervisor lacked a resource it needed for the download',
  },
  {
    name: 'H_HARDWARE',
    value: H_HARDWARE,
    errno: EBUSY,
    meaning: 'the adapter reported a hardware error while programming or comparing',
  },
  {
    name: 'H_STATE',
    value: H_STATE,
    errno: EBUSY,
    meaning:
      'a download is already in progress, the sequence was abandoned, or the facility is temporarily unavailable (for example during a reset)',
  },
  {
    name: 'H_BUSY',
    value: H_BUSY,
    errno: EBUSY,
    meaning: 'the hypervisor stayed busy past the driver’s 120-second long-busy limit',
  },
  {
    name: 'H_NOT_FOUND',
    value: H_NOT_FOUND,
    errno: EINVAL,
    meaning: 'unexpected return code (the kernel printed a WARN splat)',
  },
  {
    name: 'H_UNSUPPORTED',
    value: H_UNSUPPORTED,
    errno: EINVAL,
    meaning: 'unexpected return code (the kernel printed a WARN splat)',
  },
];

export const HCALL_CODES: ReadonlyMap<number, HcallCode> = new Map(codes.map((c) => [c.value, c]));
export const HCALL_CODES_BY_NAME: ReadonlyMap<string, HcallCode> = new Map(
  codes.map((c) => [c.name, c]),
);

export function isLongBusy(rc: number): boolean {
  return rc >= H_LONG_BUSY_FIRST && rc <= H_LONG_BUSY_LAST;
}

/** §4.7 `get_longbusy_msecs`: 1 ms, 10 ms, 100 ms, 1 s, 10 s, 100 s. */
export function longBusyMilliseconds(rc: number): number {
  if (!isLongBusy(rc)) throw new RangeError(`${rc} is not a long-busy code`);
  return 10 ** (rc - H_LONG_BUSY_FIRST);
}

/** The errno the driver returns for a final hcall rc (§4.3); unknown codes -> EINVAL. */
export function errnoForHcall(rc: number): number {
  const code = HCALL_CODES.get(rc);
  if (code?.errno) return code.errno;
  return EINVAL;
}

export function describeHcall(rc: number): HcallCode {
  return (
    HCALL_CODES.get(rc) ?? {
      name: `rc ${rc}`,
      value: rc,
      errno: EINVAL,
      meaning: 'a return code the driver does not know (the kernel printed a WARN splat)',
    }
  );
}

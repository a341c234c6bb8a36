/**
 * The checks made before the card device is opened (docs/kernel-contract.md §4.8 step 1, docs/architecture.md §3.4).
 * Each is pass, warn or fail with a message and a fix. Missing or unreadable files are reported
 * as such, never thrown. Nothing here opens a card device: open + close alone resets it (§4.5).
 */
import { statSync } from 'node:fs';
import { driverSupportForKernel, hasHcallCa } from './environment.js';
import { listDir, readBytes, readText } from './read.js';
import type { SystemRoot } from './system-root.js';
import type { CardInfo, DeviceUser, DeviceUserScan, PreflightCheck } from './types.js';
import { cardHolders, readDeviceUsers, usersOfAfus } from './users.js';
import { shown } from '../terminal-text.js';

export interface PreflightInput {
  /** the card to flash; null when none was found */
  readonly card: CardInfo | null;
  /** payload bytes; without it the memory check is skipped */
  readonly imageSize?: number;
  /** this process: not "another process" holding a card device */
  readonly ownPid?: number;
  /** a scan already made; read afresh otherwise */
  readonly users?: DeviceUserScan;
}

const MiB = 1024 * 1024;
/**
 * Room beside the image: §4.1 open() allocates 257 kernel pages (16 MiB with the 64 KiB pages of
 * ppc64le kernels), and swapping between calls would break the 3-second rule (§6).
 */
export const MEMORY_MARGIN = 64 * MiB;
const KERNEL_PAGES = 257 * 64 * 1024;

const mib = (bytes: number): string => `${(bytes / MiB).toFixed(1)} MiB`;
const who = (u: DeviceUser): string =>
  `PID ${u.pid} (${shown(u.user)}: ${shown(u.command)}) on ${shown(u.devicePath)}`;

function check(
  id: string,
  label: string,
  status: PreflightCheck['status'],
  message: string,
  fix?: string,
): PreflightCheck {
  return status === 'pass' || fix === undefined
    ? { id, label, status, message }
    : { id, label, status, message, fix };
}

function driverLoaded(root: SystemRoot): PreflightCheck {
  const release = readText(root.path('/proc/sys/kernel/osrelease'));
  const support = release.ok ? driverSupportForKernel(release.value.trim()) : null;
  const module = listDir(root.path('/sys/module/cxl'));
  const label = 'cxl driver loaded';
  if (module.ok)
    return support?.status === 'deprecated'
      ? check('driver-loaded', label, 'warn', `/sys/module/cxl is present. ${support.note}`)
      : check('driver-loaded', label, 'pass', '/sys/module/cxl is present.');
  if (module.reason === 'unreadable')
    return check('driver-loaded', label, 'warn', `/sys/module/cxl is unreadable: ${module.detail}`);
  return check(
    'driver-loaded',
    label,
    'fail',
    `The cxl module is not loaded (no /sys/module/cxl).${support ? ` ${support.note}` : ''}`,
    'Load it with `modprobe cxl` on a kernel from 4.6 to 6.14.',
  );
}

function guestMode(root: SystemRoot, card: CardInfo | null): PreflightCheck {
  const label = 'PowerVM guest (hcall-ca)';
  const hypertas = readBytes(root.path('/proc/device-tree/rtas/ibm,hypertas-functions'));
  const fix = 'Flash from the PowerVM partition that owns the adapter; bare metal uses capi-flash.';
  if (!hypertas.ok)
    return hypertas.reason === 'missing'
      ? check('guest-mode', label, 'fail', 'No ibm,hypertas-functions: not a PowerVM guest.', fix)
      : check(
          'guest-mode',
          label,
          'warn',
          `ibm,hypertas-functions is unreadable (${hypertas.detail}); guest mode not confirmed.`,
        );
  if (!hasHcallCa(hypertas.value))
    return check(
      'guest-mode',
      label,
      'fail',
      'ibm,hypertas-functions does not list hcall-ca: this partition cannot flash adapters.',
      fix,
    );
  if (card?.mode === 'bare-metal')
    return check(
      'guest-mode',
      label,
      'fail',
      `${shown(card.name)} has the bare-metal attribute set.`,
      fix,
    );
  return check('guest-mode', label, 'pass', 'hcall-ca is listed in ibm,hypertas-functions.');
}

/**
 * The node must exist and be openable. Its mode and owner are shown either way, because the
 * mode is the only gate (§4.1). "Openable" comes from the root's probe: access(2) on a real
 * system; the simulator answers for its simulated caller, since CI runs as root, where access(2)
 * always succeeds and a failing check could never be shown honestly otherwise.
 */
function cardNode(root: SystemRoot, card: CardInfo | null): PreflightCheck {
  const label = 'card device node';
  if (!card)
    return check('card-node', label, 'fail', 'No card to flash.', 'Run `cxl-flasher list`.');
  const path = root.path(card.devicePath);
  let st;
  try {
    st = statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return check(
      'card-node',
      label,
      'fail',
      code === 'ENOENT'
        ? `${shown(card.devicePath)} does not exist; card devices exist only in a PowerVM guest.`
        : `${shown(card.devicePath)} cannot be examined: ${code ?? String(error)}.`,
      'Check `cxl-flasher doctor`: the cxl driver must run in guest mode, and udev must create the node.',
    );
  }
  const mode = (st.mode & 0o7777).toString(8).padStart(4, '0');
  const facts = `mode ${mode}, owner uid ${st.uid}`;
  if (root.isReal && !st.isCharacterDevice())
    return check(
      'card-node',
      label,
      'fail',
      `${shown(card.devicePath)} is not a character device (${facts}).`,
      'Remove the stray file; udev creates the real node.',
    );
  if (!root.canOpenReadWrite(path))
    return check(
      'card-node',
      label,
      'fail',
      `${shown(card.devicePath)} is not openable by this user (${facts}).`,
      'Run cxl-flasher as root (or with sudo); the node mode is the only gate.',
    );
  return check('card-node', label, 'pass', `${shown(card.devicePath)} is openable (${facts}).`);
}

function privilegedFacility(card: CardInfo | null): PreflightCheck {
  const label = 'privileged facility';
  if (!card) return check('privileged-facility', label, 'fail', 'No card to flash.');
  const prop = card.node.privilegedFacility;
  const fix = 'Assign the adapter to this partition as its privileged facility in the HMC.';
  if (prop.ok)
    return prop.value === 1
      ? check('privileged-facility', label, 'pass', 'ibm,privileged-facility is 1.')
      : check(
          'privileged-facility',
          label,
          'fail',
          `ibm,privileged-facility is ${prop.value}: the hypervisor will answer H_AUTHORITY.`,
          fix,
        );
  return check(
    'privileged-facility',
    label,
    'warn',
    `ibm,privileged-facility is ${prop.reason} (${prop.detail}); without it the download fails with H_AUTHORITY.`,
    fix,
  );
}

function afuUsers(card: CardInfo | null, scan: DeviceUserScan): PreflightCheck {
  const label = 'no AFU users';
  const users = card
    ? usersOfAfus(
        scan.users,
        card.afus.map((a) => a.name),
      )
    : [];
  if (users.length > 0)
    return check(
      'afu-users',
      label,
      'fail',
      `The flash resets the adapter without detaching them: ${users.map(who).join('; ')}.`,
      'Stop these processes (or their service) and try again.',
    );
  if (scan.unreadablePids.length > 0)
    return check(
      'afu-users',
      label,
      'warn',
      `No AFU users found, but ${scan.unreadablePids.length} processes could not be inspected.`,
      'Run as root to see every process.',
    );
  return check('afu-users', label, 'pass', 'No process has an AFU of this card open.');
}

function otherHolders(scan: DeviceUserScan, ownPid?: number): PreflightCheck {
  const label = 'card device free';
  const holders = cardHolders(scan.users, ownPid);
  if (holders.length > 0)
    return check(
      'card-holders',
      label,
      'fail',
      `Only one card device can be open system-wide, and open() would block: ${holders.map(who).join('; ')}.`,
      'Wait for that process to finish, or stop it.',
    );
  return check('card-holders', label, 'pass', 'No other process holds a card device.');
}

function memory(root: SystemRoot, imageSize: number): PreflightCheck {
  const label = 'memory for the image';
  const meminfo = readText(root.path('/proc/meminfo'));
  const match = meminfo.ok ? /^MemAvailable:\s+(\d+)\s+kB/m.exec(meminfo.value) : null;
  if (!match)
    return check(
      'memory',
      label,
      'warn',
      meminfo.ok
        ? '/proc/meminfo has no MemAvailable line; memory not checked.'
        : `/proc/meminfo is ${meminfo.reason} (${meminfo.detail}); memory not checked.`,
    );
  const available = Number(match[1]) * 1024;
  const wanted = imageSize + MEMORY_MARGIN;
  const facts = `${mib(available)} available for a ${mib(imageSize)} image`;
  if (available >= wanted) return check('memory', label, 'pass', `${facts}.`);
  const fix = 'Free memory on this partition (stop services), then try again.';
  if (available < imageSize + KERNEL_PAGES)
    return check(
      'memory',
      label,
      'fail',
      `${facts}: not enough to hold it and open the card device.`,
      fix,
    );
  return check('memory', label, 'warn', `${facts}: less than ${mib(MEMORY_MARGIN)} to spare.`, fix);
}

/** Every check, in the order the screens show them. */
export function runPreflight(root: SystemRoot, input: PreflightInput): PreflightCheck[] {
  const scan = input.users ?? readDeviceUsers(root);
  const checks = [
    driverLoaded(root),
    guestMode(root, input.card),
    cardNode(root, input.card),
    privilegedFacility(input.card),
    afuUsers(input.card, scan),
    otherHolders(scan, input.ownPid),
  ];
  if (input.imageSize !== undefined) checks.push(memory(root, input.imageSize));
  return checks;
}

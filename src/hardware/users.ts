/**
 * Who holds cxl device nodes open: a scan of `/proc/PID/fd`. The driver never asks whether an
 * AFU is in use before it resets the adapter (docs/kernel-contract.md §4.5), so the tool
 * asks. Link text is compared, not resolved: processes see unprefixed paths, and so do the
 * simulator's links.
 */
import { readFileSync } from 'node:fs';
import { listDir, readBytes, readLink, readText } from './read.js';
import type { SystemRoot } from './system-root.js';
import type { DeviceUser, DeviceUserScan } from './types.js';

const CXL_NODE = /^\/dev\/cxl\/(afu\d+\.\d+[msd]|card\d+)$/;

export function isCxlDevicePath(linkText: string): boolean {
  return CXL_NODE.test(linkText);
}

/** uid -> name from passwd text (`name:x:uid:gid:...`). */
export function parsePasswd(text: string): Map<number, string> {
  const names = new Map<number, string>();
  for (const line of text.split('\n')) {
    const [name, , uid] = line.split(':');
    if (name && uid !== undefined && /^\d+$/.test(uid) && !names.has(Number(uid)))
      names.set(Number(uid), name);
  }
  return names;
}

/** The root's /etc/passwd first (the simulator's users), then this system's. */
function userNames(root: SystemRoot): Map<number, string> {
  const names = new Map<number, string>();
  const sources = root.isReal ? ['/etc/passwd'] : [root.path('/etc/passwd'), '/etc/passwd'];
  for (const path of sources) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      continue;
    }
    for (const [uid, name] of parsePasswd(text)) if (!names.has(uid)) names.set(uid, name);
  }
  return names;
}

/** The effective uid (the second field of `Uid:`), which is what `ps` shows as the user. */
export function parseStatusUid(status: string): number | null {
  const match = /^Uid:\s+\d+\s+(\d+)/m.exec(status);
  return match ? Number(match[1]) : null;
}

function commandOf(root: SystemRoot, pid: number): string {
  const cmdline = readBytes(root.path(`/proc/${pid}/cmdline`));
  if (cmdline.ok) {
    const text = cmdline.value.toString('utf8').split('\0').join(' ').trim();
    if (text.length > 0) return text;
  }
  const comm = readText(root.path(`/proc/${pid}/comm`));
  return comm.ok ? `[${comm.value.trim()}]` : '(unknown command)';
}

/**
 * Every process holding `/dev/cxl/afu*` or `/dev/cxl/card*` open. Processes whose fd table cannot
 * be read (another user's, without root) are counted in `unreadablePids`, never thrown.
 */
export function readDeviceUsers(root: SystemRoot): DeviceUserScan {
  // Without /dev/cxl nobody can hold a cxl node: skip the scan (doctor on any machine).
  if (!listDir(root.path('/dev/cxl')).ok)
    return { users: [], scannedPids: 0, unreadablePids: [], note: 'no /dev/cxl' };
  const proc = listDir(root.path('/proc'));
  if (!proc.ok)
    return { users: [], scannedPids: 0, unreadablePids: [], note: `/proc ${proc.reason}` };
  const pids = proc.value.filter((name) => /^\d+$/.test(name)).map(Number);
  const found: { pid: number; devicePath: string }[] = [];
  const unreadablePids: number[] = [];
  for (const pid of pids) {
    const fds = listDir(root.path(`/proc/${pid}/fd`));
    if (!fds.ok) {
      if (fds.reason === 'unreadable') unreadablePids.push(pid);
      continue; // missing: the process exited during the scan
    }
    const paths = new Set<string>();
    for (const fd of fds.value) {
      const link = readLink(root.path(`/proc/${pid}/fd/${fd}`));
      if (link.ok && isCxlDevicePath(link.value)) paths.add(link.value);
    }
    for (const devicePath of paths) found.push({ pid, devicePath });
  }
  const names = found.length > 0 ? userNames(root) : new Map<number, string>();
  const users: DeviceUser[] = found.map(({ pid, devicePath }) => {
    const status = readText(root.path(`/proc/${pid}/status`));
    const uid = status.ok ? parseStatusUid(status.value) : null;
    return {
      pid,
      command: commandOf(root, pid),
      uid,
      user: uid === null ? 'unknown' : (names.get(uid) ?? String(uid)),
      devicePath,
    };
  });
  users.sort((a, b) => a.pid - b.pid || a.devicePath.localeCompare(b.devicePath));
  return { users, scannedPids: pids.length, unreadablePids, note: null };
}

/** Users of any node of these AFUs (`/dev/cxl/afu0.0m`, `...s`, `...d`). */
export function usersOfAfus(
  users: readonly DeviceUser[],
  afuNames: readonly string[],
): DeviceUser[] {
  const names = new Set(afuNames);
  return users.filter((u) => {
    const afu = /^\/dev\/cxl\/(afu\d+\.\d+)[msd]$/.exec(u.devicePath)?.[1];
    return afu !== undefined && names.has(afu);
  });
}

/** Users holding a card device (the global semaphore of §4.1), other than `exceptPid`. */
export function cardHolders(users: readonly DeviceUser[], exceptPid?: number): DeviceUser[] {
  return users.filter((u) => /^\/dev\/cxl\/card\d+$/.test(u.devicePath) && u.pid !== exceptPid);
}

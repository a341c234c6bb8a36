/**
 * Pseudo-filesystems (the kernel's statfs f_type magics, include/uapi/linux/magic.h) that can
 * never hold the program's state: creating a folder in /proc fails forever, and Node's recursive
 * mkdir retried it at 100 % CPU.
 */
import { statfsSync } from 'node:fs';

const PSEUDO_FS: ReadonlyMap<number, string> = new Map([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x1cd1, 'devpts'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x6165676c, 'pstore'],
  [0xcafe4a11, 'bpf'],
  [0x62656570, 'configfs'],
  [0xde5e81e4, 'efivarfs'],
  [0xf97cff8c, 'selinuxfs'],
  [0x42494e4d, 'binfmt_misc'],
  [0x65735543, 'fusectl'],
  [0x19800202, 'mqueue'],
  [0x6e736673, 'nsfs'],
]);

/** The pseudo-filesystem `path` is on (`proc`), or null for a real one or when statfs fails. */
export function pseudoFilesystemOf(path: string): string | null {
  try {
    return PSEUDO_FS.get(Number(statfsSync(path).type) >>> 0) ?? null;
  } catch {
    return null;
  }
}

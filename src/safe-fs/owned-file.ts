/**
 * The files the program keeps its state in (journal, lock, the simulator's model and flash),
 * opened without following a link (O_NOFOLLOW) and without waiting on a FIFO (O_NONBLOCK), then
 * checked on the open descriptor: a regular file, owned by the running user or root, not
 * writable by group or others. New files are 0600 whatever the umask.
 */
import { closeSync, constants, fstatSync, openSync, readFileSync, type Stats } from 'node:fs';
import {
  ownerName,
  PathSafetyError,
  runningUserName,
  shellPath,
  trustedOwner,
} from './path-safety-error.js';

const { O_NOFOLLOW, O_NONBLOCK, O_RDONLY } = constants;

function kindOf(stats: Stats): string {
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/** Why the file open on a descriptor with `stats` must not be used, or null when it may. */
export function checkOwnedFile(path: string, stats: Stats, what: string): PathSafetyError | null {
  const p = shellPath(path);
  if (stats.isDirectory()) return null; // a folder in its place: the caller's EISDIR says it in its own words
  if (!stats.isFile())
    return new PathSafetyError(
      `The ${what} ${path} is not a regular file (${kindOf(stats)}).`,
      `Remove it (\`rm ${p}\`) and look at who made it, or give another --state-dir DIR.`,
    );
  if (!trustedOwner(stats.uid))
    return new PathSafetyError(
      `The ${what} ${path} is owned by ${ownerName(stats.uid)}, not by you or root: what it says cannot be trusted.`,
      `If it is yours: \`chown ${runningUserName()} ${p}\`; otherwise move it away (\`mv ${p} ${p}.untrusted\`) and look at who wrote it, or give another --state-dir DIR.`,
    );
  if ((stats.mode & 0o022) !== 0)
    return new PathSafetyError(
      `The ${what} ${path} can be written by its group or others (mode 0${(stats.mode & 0o777).toString(8)}): what it says cannot be trusted.`,
      `\`chmod go-w ${p}\` after checking what it holds, or give another --state-dir DIR.`,
    );
  return null;
}

/** A symbolic link where a file belongs: the open's ELOOP, in words. */
export function linkRefusal(path: string, what: string): PathSafetyError {
  const p = shellPath(path);
  return new PathSafetyError(
    `The ${what} ${path} is a symbolic link; the program never reads or writes its files through a link.`,
    `Remove the link (\`rm ${p}\` removes only the link) and look at who made it, or give another --state-dir DIR.`,
  );
}

/**
 * open(2) `path` with `flags` plus O_NOFOLLOW|O_NONBLOCK (new files 0600), then check it. Throws
 * a PathSafetyError for a link or an unsafe file, the errno error (ENOENT, EISDIR, ...) otherwise.
 */
export function openOwnedFile(path: string, flags: number, what: string): number {
  let fd: number;
  try {
    fd = openSync(path, flags | O_NOFOLLOW | O_NONBLOCK, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw linkRefusal(path, what);
    throw error;
  }
  try {
    const stats = fstatSync(fd);
    if (stats.isDirectory())
      throw Object.assign(new Error(`EISDIR: ${path} is a directory`), { code: 'EISDIR' });
    const problem = checkOwnedFile(path, stats, what);
    if (problem) throw problem;
    return fd;
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/** The file's bytes, or null when it does not exist; unsafe files throw as in openOwnedFile. */
export function readOwnedFile(path: string, what: string): Buffer | null {
  let fd: number;
  try {
    fd = openOwnedFile(path, O_RDONLY, what);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

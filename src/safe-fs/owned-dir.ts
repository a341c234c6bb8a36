/**
 * The folders the program keeps its state in, checked as OpenSSH's StrictModes checks ~/.ssh
 * (auth.c: safe_path) before anything is read, written or deleted there: the folder itself is a
 * real directory (never a symbolic link), owned by the running user or root and not writable by
 * group or others; every folder above it is owned by the running user or root and not writable
 * by others unless sticky (as /tmp), so nobody else can swap a part of the path. Missing folders
 * are made 0700 whatever the umask.
 */
import { chmodSync, lstatSync, mkdirSync, realpathSync, type Stats } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { pseudoFilesystemOf } from './pseudo-fs.js';
import {
  ownerName,
  PathSafetyError,
  runningUserName,
  shellPath,
  trustedOwner,
} from './path-safety-error.js';

export interface OwnedDirOptions {
  /** make the missing folders (0700); false: check the part that exists and make nothing */
  readonly create: boolean;
  /** what the folder is, for messages: `state directory`, `simulator folder` */
  readonly what: string;
}

const GROUP_OR_OTHER_WRITE = 0o022;
const STICKY = 0o1000;
const mode = (stats: Stats): string => `0${(stats.mode & 0o7777).toString(8)}`;

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function notAFolder(path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`ENOTDIR: not a directory, ${path}`), { code: 'ENOTDIR' });
}

const ANOTHER_DIR =
  'a --state-dir DIR whose folders are all owned by you or root (with sudo, `sudo -H` keeps root’s own HOME)';
const anotherDir = `give ${ANOTHER_DIR}`;

/** The folder we keep state in (or make) is not ours alone. */
function checkOwn(path: string, stats: Stats, what: string): void {
  const p = shellPath(path);
  if (stats.isSymbolicLink())
    throw new PathSafetyError(
      `The ${what} ${path} is a symbolic link; the program never keeps its state through a link.`,
      `Remove the link (\`rm ${p}\` removes only the link) and look at who made it, or ${anotherDir}.`,
    );
  if (!stats.isDirectory()) throw notAFolder(path);
  if (!trustedOwner(stats.uid))
    throw new PathSafetyError(
      `The ${what} ${path} is owned by ${ownerName(stats.uid)}, not by you or root: they could plant links there that make the program overwrite or delete other files.`,
      `If it is meant to be yours: \`chown ${runningUserName()} ${p} && chmod go-w ${p}\`; otherwise move it away or ${anotherDir}.`,
    );
  if ((stats.mode & GROUP_OR_OTHER_WRITE) !== 0)
    throw new PathSafetyError(
      `The ${what} ${path} can be written by its group or others (mode ${mode(stats)}): they could plant links there.`,
      `\`chmod go-w ${p}\`, or ${anotherDir}.`,
    );
}

/** A folder (or link) above ours owned by someone else could be swapped by them. */
function checkAboveOwner(path: string, uid: number, what: string): void {
  if (!trustedOwner(uid))
    throw new PathSafetyError(
      `The folder ${path}, above the ${what}, is owned by ${ownerName(uid)}, not by you or root: they could replace what is below it.`,
      `Give ${ANOTHER_DIR}; or, if ${path} is meant to be yours: \`chown ${runningUserName()} ${shellPath(path)}\`.`,
    );
}

/** A folder above ours: others must not be able to swap what is below it. */
function checkAbove(path: string, stats: Stats, what: string): void {
  const p = shellPath(path);
  checkAboveOwner(path, stats.uid, what);
  if ((stats.mode & GROUP_OR_OTHER_WRITE) !== 0 && (stats.mode & STICKY) === 0)
    throw new PathSafetyError(
      `The folder ${path}, above the ${what}, can be written by its group or others and is not sticky (mode ${mode(stats)}): they could replace what is below it.`,
      `\`chmod go-w ${p}\` (or \`chmod +t ${p}\` for a shared folder like /tmp), or ${anotherDir}.`,
    );
}

function checkPseudo(path: string, what: string): void {
  const type = pseudoFilesystemOf(path);
  if (type)
    throw new PathSafetyError(
      `The ${what} ${path} is on a pseudo-filesystem (${type}), which cannot hold files.`,
      'Give a folder on a real disk with --state-dir DIR.',
    );
}

/** Every folder from `/` down to `real` (a path without links) passes as a folder above ours. */
function checkChain(real: string, what: string): void {
  const chain: string[] = [];
  for (let p = real; ; p = dirname(p)) {
    chain.unshift(p);
    if (dirname(p) === p) break;
  }
  for (const p of chain) checkAbove(p, lstatSync(p), what);
}

/** mkdir 0700 whatever the umask; someone else's folder appearing first is checked, not used. */
function makeFolder(path: string): Stats {
  try {
    mkdirSync(path, { mode: 0o700 });
    chmodSync(path, 0o700); // the umask may have taken the owner's bits too
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return lstatSync(path);
}

/**
 * Check (and with `create`, make) the folder `path`; returns its real path. Throws a
 * PathSafetyError (exit 3, with the fix) when it is not safe, a Node errno error (ENOTDIR,
 * EACCES, EROFS, ...) when it cannot be made.
 */
export function ownedDir(path: string, options: OwnedDirOptions): string {
  const { what } = options;
  const parts = resolve(path).split(sep).filter(Boolean);
  let current = '/';
  checkAbove(current, lstatSync(current), what);
  for (const [index, part] of parts.entries()) {
    const last = index === parts.length - 1;
    let next = join(current, part);
    let stats = lstatOrNull(next);
    if (!stats) {
      if (!options.create) return join(current, ...parts.slice(index));
      checkPseudo(current, what);
      stats = makeFolder(next);
    }
    checkPseudo(next, what);
    if (stats.isSymbolicLink() && !last) {
      // a link above ours (/var/run -> /run): trusted only when nobody else could have made it
      // (its folder passed above), then its target's whole path is checked as well
      checkAboveOwner(next, stats.uid, what);
      next = realpathSync(next);
      checkChain(next, what);
      stats = lstatSync(next);
    }
    if (last) checkOwn(next, stats, what);
    else if (!stats.isDirectory()) throw notAFolder(next);
    else checkAbove(next, stats, what);
    current = next;
  }
  if (parts.length === 0) checkOwn(current, lstatSync(current), what);
  return current;
}

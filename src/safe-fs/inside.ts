/**
 * Writing and deleting inside a folder already checked with ownedDir (the simulator's root):
 * every folder on the way down must be a real directory, never a link, so nothing is ever
 * written or deleted outside it. rm -r itself never follows a link below what it removes.
 */
import {
  chmodSync,
  closeSync,
  constants,
  fchmodSync,
  lstatSync,
  mkdirSync,
  openSync,
  rmSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { linkRefusal } from './owned-file.js';
import { PathSafetyError, shellPath } from './path-safety-error.js';

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function partsBelow(base: string, path: string): string[] {
  const rel = relative(base, path);
  if (rel.startsWith('..') || isAbsolute(rel)) throw new Error(`${path} is outside ${base}`);
  return rel.split(sep).filter(Boolean);
}

function linkInTree(path: string, what: string): PathSafetyError {
  return new PathSafetyError(
    `The folder ${path} in the ${what} is a symbolic link; the program never writes or deletes through a link.`,
    `Remove the link (\`rm ${shellPath(path)}\` removes only the link) and look at who made it.`,
  );
}

/**
 * Folders already walked inside one checked base. Only the program writes there (the base is
 * 0700 and ours), so a folder seen real stays real until the program removes it.
 */
export type SeenFolders = Set<string>;

/**
 * Walk from `base` down to `path`: each folder a real directory. With `mode`, missing ones are
 * made with exactly that mode; without, a missing one ends the walk (returns false).
 */
function walkFolders(
  base: string,
  path: string,
  what: string,
  mode?: number,
  seen?: SeenFolders,
): boolean {
  if (seen?.has(path)) return true;
  let current = base;
  for (const part of partsBelow(base, path)) {
    current = join(current, part);
    if (seen?.has(current)) continue;
    let stats = lstatOrNull(current);
    if (!stats) {
      if (mode === undefined) return false;
      mkdirSync(current, { mode });
      chmodSync(current, mode);
      stats = lstatSync(current);
    }
    if (stats.isSymbolicLink()) throw linkInTree(current, what);
    if (!stats.isDirectory())
      throw Object.assign(new Error(`ENOTDIR: not a directory, ${current}`), { code: 'ENOTDIR' });
    seen?.add(current);
  }
  return true;
}

/** mkdir -p `path` inside `base`, folders made with exactly `mode`. */
export function folderInside(
  base: string,
  path: string,
  what: string,
  seen?: SeenFolders,
  mode = 0o755,
): void {
  walkFolders(base, path, what, mode, seen);
}

/** rm -rf `path` inside `base`, refusing when a folder above it is a link. */
export function removeInside(base: string, path: string, what: string, seen?: SeenFolders): void {
  if (!walkFolders(base, dirname(path), what, undefined, seen)) return;
  rmSync(path, { recursive: true, force: true });
  if (seen) for (const folder of seen) if (isSameOrBelow(folder, path)) seen.delete(folder);
}

const isSameOrBelow = (folder: string, path: string): boolean =>
  folder === path || folder.startsWith(`${path}${sep}`);

/** Write a file inside `base` (folders made 0755), never through a link, with exactly `mode`. */
export function writeInside(
  base: string,
  path: string,
  content: string | Uint8Array,
  mode: number,
  what: string,
  seen?: SeenFolders,
): void {
  folderInside(base, dirname(path), what, seen);
  const { O_WRONLY, O_CREAT, O_TRUNC, O_NOFOLLOW, O_NONBLOCK } = constants;
  let fd: number;
  try {
    fd = openSync(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_NONBLOCK, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw linkRefusal(path, `${what} file`);
    throw error;
  }
  try {
    writeSync(fd, typeof content === 'string' ? Buffer.from(content) : content);
    fchmodSync(fd, mode);
  } finally {
    closeSync(fd);
  }
}

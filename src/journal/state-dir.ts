/**
 * Whether the state directory can hold the journal and the lock (docs/architecture.md §6), and the words
 * for when it cannot. The journal is written before the card device is opened, so a state
 * directory that cannot take it is a preflight refusal: nothing was touched (exit 3).
 */
import { accessSync, constants, lstatSync, statfsSync, statSync, type Stats } from 'node:fs';
import { dirname, join } from 'node:path';
import { JOURNAL_FILE } from './journal.js';
import { LOCK_FILE } from './lock.js';
import { ownedDir } from '../safe-fs/owned-dir.js';
import { checkOwnedFile, linkRefusal } from '../safe-fs/owned-file.js';
import { PathSafetyError } from '../safe-fs/path-safety-error.js';

/** A problem with the state directory, in words: what is wrong and what to do. */
export interface StateDirProblem {
  readonly message: string;
  readonly fix: string;
}

/** Less free space than this and one attempt's journal lines may not fit. */
export const MIN_FREE_BYTES = 64 * 1024;

function codeOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | null)?.code;
}

function reasonFor(error: unknown): string {
  const code = codeOf(error);
  switch (code) {
    case 'ENOSPC':
      return 'the disk is full (ENOSPC)';
    case 'EDQUOT':
      return 'the disk quota is used up (EDQUOT)';
    case 'EROFS':
      return 'the file system is read-only (EROFS)';
    case 'EACCES':
    case 'EPERM':
      return `permission denied (${code})`;
    case 'ENOTDIR':
      return 'a part of the path is a file, not a folder (ENOTDIR)';
    case 'EISDIR':
      return 'a folder is in its place (EISDIR)';
    case 'ENOTREG':
      return 'it is not a regular file';
    default: {
      const text = error instanceof Error ? error.message : String(error);
      return code && !text.includes(code) ? `${text} (${code})` : text;
    }
  }
}

export function stateDirFix(stateDir: string): string {
  return `Make ${stateDir} a writable folder with free space (check \`df -h\` and what is in the way), or run with --state-dir DIR (history and recover read that folder's journal).`;
}

/** `what` (the journal, the lock) at `path` could not be written because of `error`. */
export function stateDirProblem(
  stateDir: string,
  what: 'journal' | 'lock',
  path: string,
  error: unknown,
): StateDirProblem {
  if (error instanceof PathSafetyError) return { message: error.message, fix: error.fix ?? '' };
  return {
    message: `The ${what} ${path} cannot be written: ${reasonFor(error)}.`,
    fix: stateDirFix(stateDir),
  };
}

/** The journal could not be read at all (not: a torn line, which is tolerated). */
export function journalUnreadableProblem(stateDir: string, error: unknown): StateDirProblem {
  if (error instanceof PathSafetyError) return { message: error.message, fix: error.fix ?? '' };
  return {
    message: `The journal ${join(stateDir, JOURNAL_FILE)} cannot be read: ${reasonFor(error)}.`,
    fix: stateDirFix(stateDir),
  };
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return null;
    throw error;
  }
}

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return null;
    throw error;
  }
}

/** The nearest folder on the way up that exists (the state directory itself, once made). */
function nearestExisting(path: string): { path: string; stats: Stats } {
  let current = path;
  for (;;) {
    const stats = statOrNull(current);
    if (stats) return { path: current, stats };
    const parent = dirname(current);
    if (parent === current) throw notAFolder(path); // even / is missing: nothing to write into
    current = parent;
  }
}

function notAFolder(path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`ENOTDIR: not a directory, ${path}`), { code: 'ENOTDIR' });
}

/**
 * Look without writing anything: the state directory (or the folder it would be made in) is a
 * writable folder with some free space, and the journal and the lock, where they exist, are
 * writable regular files. Null when nothing is wrong; the attempt still checks its own writes.
 */
export function probeStateDir(stateDir: string): StateDirProblem | null {
  const journal = join(stateDir, JOURNAL_FILE);
  let folder: { path: string; stats: Stats };
  try {
    ownedDir(stateDir, { create: false, what: 'state directory' });
    folder = nearestExisting(stateDir);
    if (!folder.stats.isDirectory()) throw notAFolder(folder.path);
    accessSync(folder.path, constants.W_OK | constants.X_OK);
  } catch (error) {
    return stateDirProblem(stateDir, 'journal', journal, error);
  }
  for (const [what, path] of [
    ['journal', journal],
    ['lock', join(stateDir, LOCK_FILE)],
  ] as const) {
    try {
      const stats = folder.path === stateDir ? lstatOrNull(path) : null;
      if (!stats) continue;
      if (stats.isSymbolicLink()) throw linkRefusal(path, what);
      if (stats.isDirectory())
        throw Object.assign(new Error(`EISDIR: ${path}`), { code: 'EISDIR' });
      const unsafe = checkOwnedFile(path, stats, what);
      if (unsafe) throw unsafe;
      accessSync(path, constants.W_OK);
    } catch (error) {
      return stateDirProblem(stateDir, what, path, error);
    }
  }
  try {
    const fs = statfsSync(folder.path);
    if (fs.bavail * fs.bsize < MIN_FREE_BYTES) {
      return stateDirProblem(
        stateDir,
        'journal',
        journal,
        Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' }),
      );
    }
  } catch {
    // statfs is advisory here: the attempt checks that its first records reached the disk
  }
  return null;
}

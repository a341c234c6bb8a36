/**
 * Removing a Unix socket the program left behind: only a socket of ours is unlinked, never a
 * link (unlink would not follow it, but a link there means someone planted it), a regular file
 * or another user's socket.
 */
import { lstatSync, unlinkSync, type Stats } from 'node:fs';
import { linkRefusal } from './owned-file.js';
import { ownerName, PathSafetyError, shellPath, trustedOwner } from './path-safety-error.js';

/** Unlink `path` when it is a socket of ours; nothing when missing; a PathSafetyError otherwise. */
export function removeOwnSocket(path: string, what = 'attach socket'): void {
  let stats: Stats;
  try {
    stats = lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (stats.isSymbolicLink()) throw linkRefusal(path, what);
  if (!stats.isSocket())
    throw new PathSafetyError(
      `The ${what} ${path} is not a socket, so it was left alone.`,
      `Look at what it is and remove it yourself (\`rm ${shellPath(path)}\`).`,
    );
  if (!trustedOwner(stats.uid))
    throw new PathSafetyError(
      `The ${what} ${path} belongs to ${ownerName(stats.uid)}, so it was left alone.`,
      `Look at who made it and remove it yourself (\`rm ${shellPath(path)}\`).`,
    );
  unlinkSync(path);
}

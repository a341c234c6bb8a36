/**
 * A path the program would read, write or delete through is not safe: a symbolic link, not a
 * regular file, owned by another user, writable by others, or on a pseudo-filesystem. Always a
 * preflight refusal (exit 3: nothing was touched), with the exact command that fixes it.
 */
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { ExitCode, UserFacingError } from '../exit-codes.js';

export class PathSafetyError extends UserFacingError {
  /** like a Node errno error's `code`, so callers that branch on codes keep working */
  readonly code = 'EUNSAFE';

  constructor(message: string, fix: string) {
    super(message, ExitCode.PreflightRefused, fix);
    this.name = 'PathSafetyError';
  }
}

/** The running user's effective uid (0 where the platform has none). */
export const currentUid = (): number => process.geteuid?.() ?? 0;

/** Root and the running user are the only owners a path we trust may have (as sshd's StrictModes). */
export const trustedOwner = (uid: number): boolean => uid === 0 || uid === currentUid();

/** `alice (uid 1000)`, or `uid 1000` when the password file does not know it. */
export function ownerName(uid: number): string {
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const [name, , id] = line.split(':');
      if (name && id === String(uid)) return `${name} (uid ${uid})`;
    }
  } catch {
    // no password file: the number alone
  }
  return `uid ${uid}`;
}

/** The name to put in a `chown` for the running user. */
export function runningUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return String(currentUid());
  }
}

/** Shell-quote a path for a fix the user may paste (only when it needs quoting). */
export function shellPath(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}

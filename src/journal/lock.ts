/**
 * The flasher's lock (docs/architecture.md §6): `flock` on `<state-dir>/lock`, released by the kernel when
 * the process dies, so it can never go stale. The holder writes who it is into the file, so a
 * second instance can say who holds it. It must be taken before the card device is opened: the
 * driver's own open() blocks system-wide without a word (docs/kernel-contract.md §4.1).
 */
import { closeSync, constants, ftruncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { EAGAIN, errnoName } from '../ioctl/errno.js';
import type { Libc } from '../ioctl/libc.js';
import { ownedDir } from '../safe-fs/owned-dir.js';
import { openOwnedFile, readOwnedFile } from '../safe-fs/owned-file.js';
import { int, nullable, obj, optional, problemWith, str } from '../record-shape.js';
import { shown } from '../terminal-text.js';

export const LOCK_FILE = 'lock';

export interface LockHolder {
  readonly pid: number;
  readonly user: string;
  readonly host: string;
  readonly tty: string | null;
  readonly sshClient: string | null;
  readonly card: string | null;
  readonly phase: string;
  readonly startedAt: string;
  readonly attemptId: string | null;
  /** updated with the phase; lets a reader see how fresh the details are */
  readonly updatedAt: string;
}

export type LockResult =
  | { readonly acquired: true; readonly lock: FlasherLock }
  | { readonly acquired: false; readonly holder: LockHolder | null; readonly path: string };

const { O_RDWR, O_CREAT, O_APPEND } = constants;
const LOCK_EX = 2;
const LOCK_NB = 4;

export class FlasherLock {
  private fd: number | null;
  private holder: LockHolder;
  /** The first failed update of the details, if any (the lock itself is still held). */
  private updateError: Error | null = null;

  constructor(
    readonly path: string,
    fd: number,
    holder: LockHolder,
  ) {
    this.fd = fd;
    this.holder = holder;
    this.write();
  }

  /**
   * Record the phase (and optionally card and attempt) for whoever is blocked by us. The details
   * are a courtesy: a full disk must not stop a flash, so a failed write is kept, not thrown.
   */
  update(changes: Partial<Pick<LockHolder, 'phase' | 'card' | 'attemptId'>>): void {
    this.holder = { ...this.holder, ...changes, updatedAt: new Date().toISOString() };
    try {
      this.write();
    } catch (error) {
      this.updateError ??= error instanceof Error ? error : new Error(String(error));
    }
  }

  get details(): LockHolder {
    return this.holder;
  }

  get failedUpdate(): Error | null {
    return this.updateError;
  }

  release(): void {
    if (this.fd === null) return;
    // Closing the descriptor releases the flock; the stale details stay for post-mortems.
    closeSync(this.fd);
    this.fd = null;
  }

  private write(): void {
    if (this.fd === null) return;
    const text = `${JSON.stringify(this.holder, null, 2)}\n`;
    ftruncateSync(this.fd, 0);
    writeSync(this.fd, text, 0);
  }
}

/** What a holder's details must be to be used: the file is another process's word. */
const HOLDER_SHAPE = obj({
  pid: int,
  user: str,
  host: str,
  tty: optional(nullable(str)),
  sshClient: optional(nullable(str)),
  card: nullable(str),
  phase: str,
  startedAt: str,
  attemptId: optional(nullable(str)),
  updatedAt: optional(str),
});

/** The holder's details, or null when they are missing or not what a flasher writes. */
export function readLockHolder(path: string): LockHolder | null {
  try {
    const value: unknown = JSON.parse(readOwnedFile(path, 'lock')?.toString('utf8') ?? '');
    return problemWith(value, HOLDER_SHAPE) === null ? (value as LockHolder) : null;
  } catch {
    return null;
  }
}

/**
 * Try to take the lock without waiting. Throws (with the error's `code`) when the lock file
 * cannot be made, locked or written: the state directory cannot hold it.
 */
export function acquireLock(
  stateDir: string,
  libc: Libc,
  holder: Omit<LockHolder, 'updatedAt'>,
): LockResult {
  ownedDir(stateDir, { create: true, what: 'state directory' });
  const path = join(stateDir, LOCK_FILE);
  // O_CLOEXEC is Node's default, so no child inherits the lock. Never through a link, never a
  // FIFO (it would hang every command), never another user's file.
  const fd = openOwnedFile(path, O_RDWR | O_CREAT | O_APPEND, 'lock');
  const { result, errno } = libc.flockSync(fd, LOCK_EX | LOCK_NB);
  if (result !== 0) {
    closeSync(fd);
    if (errno !== EAGAIN)
      throw Object.assign(new Error(`flock ${path} failed with ${errnoName(errno)}`), {
        code: errnoName(errno),
      });
    return { acquired: false, holder: readLockHolder(path), path };
  }
  try {
    return {
      acquired: true,
      lock: new FlasherLock(path, fd, { ...holder, updatedAt: new Date().toISOString() }),
    };
  } catch (error) {
    // The details could not be written (a full disk): give the lock back, say why.
    closeSync(fd);
    throw error;
  }
}

/** Who holds the lock right now, or null when it is free (the lock is not kept). */
export function currentLockHolder(stateDir: string, libc: Libc): LockHolder | null {
  const path = join(stateDir, LOCK_FILE);
  let fd: number;
  try {
    fd = openOwnedFile(path, constants.O_RDONLY, 'lock');
  } catch {
    return null;
  }
  try {
    const { result, errno } = libc.flockSync(fd, LOCK_EX | LOCK_NB);
    if (result === 0) return null;
    if (errno !== EAGAIN) return null;
    return (
      readLockHolder(path) ?? {
        pid: 0,
        user: 'unknown',
        host: 'unknown',
        tty: null,
        sshClient: null,
        card: null,
        phase: 'unknown',
        startedAt: 'unknown',
        attemptId: null,
        updatedAt: 'unknown',
      }
    );
  } finally {
    closeSync(fd);
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, another user's
  }
}

/**
 * The lock's holder when it is a live process running attempt `attemptId` right now: that
 * attempt has no terminal record because it has not ended, not because it died.
 */
export function holderRunning(holder: LockHolder | null, attemptId: string): LockHolder | null {
  return holder && holder.attemptId === attemptId && isAlive(holder.pid) ? holder : null;
}

/** "in progress (pid 42, phase download)" */
export function describeInProgress(holder: Pick<LockHolder, 'pid' | 'phase'>): string {
  return `in progress (pid ${holder.pid}, phase ${shown(holder.phase)})`;
}

/** "pid 42 (ops@lpar1 from 10.0.0.5 on /dev/pts/3), flashing card0, phase download, since ..." */
export function describeLockHolder(h: LockHolder | null): string {
  if (!h) return 'another process (its details are unreadable)';
  const from = h.sshClient ? ` from ${shown(h.sshClient.split(' ')[0])}` : '';
  return `pid ${h.pid} (${shown(h.user)}@${shown(h.host)}${from}${h.tty ? ` on ${shown(h.tty)}` : ''}), flashing ${h.card === null ? 'a card' : shown(h.card)}, phase ${shown(h.phase)}, since ${shown(h.startedAt)}`;
}

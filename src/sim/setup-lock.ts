/**
 * The simulator's setup lock: the directory `<simulator>/setup.lock`, made with mkdir (atomic)
 * and holding its owner's PID, so two processes started at the same moment never rebuild the
 * fake tree at once, and a flash keeps it from its rebuild through its card lookup until its
 * device is opened. No native code (read-only commands never load koffi); polled with a bound,
 * and a lock whose owner died is taken over, so a stuck or killed holder cannot hang a start.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SETUP_LOCK = 'setup.lock';
const POLL_MS = 25;
/** A lock directory without a readable owner for this long was left by a process killed in mkdir. */
const OWNERLESS_STALE_MS = 2000;

export interface SetupLock {
  /** idempotent */
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The lock is held by nobody alive: its owner died, or never wrote its PID. */
function stale(dir: string): boolean {
  try {
    const pid = Number(readFileSync(join(dir, 'pid'), 'utf8'));
    if (Number.isInteger(pid) && pid > 0) return !alive(pid);
  } catch {
    // no owner written yet
  }
  try {
    return Date.now() - statSync(dir).mtimeMs > OWNERLESS_STALE_MS;
  } catch {
    return false; // gone meanwhile: try again
  }
}

function tryLock(dir: string): SetupLock | null {
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    if (stale(dir)) {
      // Rename first: of two processes clearing the same stale lock, only one succeeds.
      const aside = `${dir}.stale-${process.pid}`;
      try {
        renameSync(dir, aside);
        rmSync(aside, { recursive: true, force: true });
      } catch {
        // another process cleared it first
      }
    }
    return null;
  }
  writeFileSync(join(dir, 'pid'), String(process.pid), { mode: 0o600 });
  let held = true;
  return {
    release() {
      if (!held) return;
      held = false;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Take the setup lock, polling for at most `waitMs`; null when another process kept it. */
export async function acquireSetupLock(dir: string, waitMs: number): Promise<SetupLock | null> {
  const path = join(dir, SETUP_LOCK);
  const deadline = performance.now() + waitMs;
  for (;;) {
    const lock = tryLock(path);
    if (lock || performance.now() >= deadline) return lock;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

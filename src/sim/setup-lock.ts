/**
 * The simulator's setup lock: `flock` on `<simulator>/setup.lock`, so two processes started at
 * the same moment never rebuild the fake tree at once, and a flash keeps it from its rebuild
 * through its card lookup until it holds the flasher's own lock (its device is opened). Never a
 * blocking flock: polled, with a bound, so a stuck holder cannot hang a start.
 */
import { closeSync, constants, openSync } from 'node:fs';
import { join } from 'node:path';
import { LOCK_EX, LOCK_NB, systemLibc, type Libc } from '../ioctl/libc.js';

export const SETUP_LOCK_FILE = 'setup.lock';
const POLL_MS = 25;

export interface SetupLock {
  /** idempotent; the kernel also releases it when the process exits */
  release(): void;
}

function tryLock(path: string, libc: Libc): SetupLock | null {
  const fd = openSync(
    path,
    constants.O_RDWR | constants.O_CREAT | constants.O_NOFOLLOW, // Node adds O_CLOEXEC
    0o600,
  );
  const { result } = libc.flockSync(fd, LOCK_EX | LOCK_NB);
  if (result !== 0) {
    closeSync(fd);
    return null;
  }
  let held = true;
  return {
    release() {
      if (!held) return;
      held = false;
      closeSync(fd); // closing the only descriptor releases the flock
    },
  };
}

/** Take the setup lock, polling for at most `waitMs`; null when another process kept it. */
export async function acquireSetupLock(
  dir: string,
  waitMs: number,
  libc: Libc = systemLibc(),
): Promise<SetupLock | null> {
  const path = join(dir, SETUP_LOCK_FILE);
  const deadline = performance.now() + waitMs;
  for (;;) {
    const lock = tryLock(path, libc);
    if (lock || performance.now() >= deadline) return lock;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

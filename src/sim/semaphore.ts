/**
 * The driver's single, file-static semaphore (docs/kernel-contract.md §4.1): one card device open
 * system-wide. Across processes sharing a simulator directory it is an flock on
 * `<dir>/card.lock`, taken with LOCK_NB and polled, so a blocked opener can be woken by its
 * abort signal (the driver then answers EPERM) and a killed holder releases it, as the kernel
 * releases the semaphore on the implicit close. libc is loaded only when a device is opened, so
 * `list` and `doctor` never load koffi.
 */
import { closeSync, constants } from 'node:fs';
import { join } from 'node:path';
import { EAGAIN } from '../ioctl/errno.js';
import { openOwnedFile } from '../safe-fs/owned-file.js';

const POLL_MS = 20;

export class CardSemaphore {
  private fd: number | null = null;

  private readonly lockPath: string;

  constructor(
    dir: string,
    /** a simulated process holds the card (scenario card-held): wait as for a real holder */
    private readonly heldByPhantom: () => boolean,
    /** the simulation was disposed: stop waiting, as a process exit ends the wait */
    private readonly disposed: AbortSignal,
  ) {
    this.lockPath = join(dir, 'card.lock');
  }

  get held(): boolean {
    return this.fd !== null;
  }

  /** Resolves true once held, false when the signal aborted the wait. */
  async acquire(signal?: AbortSignal): Promise<boolean> {
    if (this.fd !== null) throw new Error('the simulated card semaphore is already held here');
    const { systemLibc, LOCK_EX, LOCK_NB } = await import('../ioctl/libc.js');
    const libc = systemLibc();
    const { O_RDWR, O_CREAT, O_APPEND } = constants;
    const fd = openOwnedFile(this.lockPath, O_RDWR | O_CREAT | O_APPEND, 'simulator card lock');
    for (;;) {
      if (signal?.aborted || this.disposed.aborted) {
        closeSync(fd);
        return false;
      }
      if (!this.heldByPhantom()) {
        const { result, errno } = libc.flockSync(fd, LOCK_EX | LOCK_NB);
        if (result === 0) {
          this.fd = fd;
          return true;
        }
        if (errno !== EAGAIN) {
          closeSync(fd);
          throw new Error(`flock ${this.lockPath}: errno ${errno}`);
        }
      }
      await waitOrAbort(POLL_MS, signal, this.disposed);
    }
  }

  /** §4.5: close releases the semaphore before the rest of its work. */
  release(): void {
    if (this.fd === null) return;
    closeSync(this.fd); // closing the only descriptor drops the flock
    this.fd = null;
  }
}

function waitOrAbort(ms: number, ...signals: (AbortSignal | undefined)[]): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      for (const signal of signals) signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    for (const signal of signals) signal?.addEventListener('abort', done, { once: true });
  });
}

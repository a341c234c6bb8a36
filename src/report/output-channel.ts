/**
 * Output that never blocks the program: a terminal that stops reading (Ctrl-S, a stalled SSH
 * link), a pipe nobody drains or a full disk must not stop the main thread, which handles the
 * signals, the journal and the screen while the device thread flashes.
 *
 * Node writes to a terminal or a pipe synchronously on Linux, so a stalled reader blocks the whole
 * event loop. A channel writes instead through its own non-blocking descriptor: the same terminal
 * or pipe opened again through /proc/self/fd/N (a new open file description, so the O_NONBLOCK
 * flag never reaches the shell that shares the original). What cannot be written now waits:
 * - a `line` (results, summaries, phase lines, errors) is always kept and written in order;
 * - a `progress` line replaces the progress line still waiting, so only the newest is written;
 * - frames (the wizard's screen) are coalesced by the screen writer above (frame-output.ts).
 * A write error of any kind (EPIPE, EIO, ENOSPC, ...) closes the channel quietly: the flash goes
 * on, the journal records it, and the exit code stays the flash's.
 */
import { closeSync, constants, fstatSync, openSync, writeSync } from 'node:fs';

const RETRY_MS = 20;

export type OutputKind = 'line' | 'progress';

export interface OutputChannelOptions {
  /** for tests: how to write (default: fs.writeSync on the channel's descriptor) */
  readonly writeSync?: (fd: number, data: Buffer) => number;
}

/** Opens `fd`'s terminal or pipe again, non-blocking; null when that is not possible. */
function reopenNonBlocking(fd: number): number | null {
  try {
    const stat = fstatSync(fd);
    if (!stat.isCharacterDevice() && !stat.isFIFO()) return null;
    const flags = constants.O_WRONLY | constants.O_NONBLOCK | constants.O_NOCTTY;
    return openSync(`/proc/self/fd/${fd}`, flags | 0o2000000 /* O_CLOEXEC */);
  } catch {
    return null; // a socket (ENXIO), no /proc: write to the original descriptor
  }
}

export class OutputChannel {
  private readonly fd: number;
  private readonly own: boolean;
  private readonly queue: Buffer[] = [];
  /** the newest progress line not yet written, written after the queue */
  private progress: Buffer | null = null;
  private retry: NodeJS.Timeout | null = null;
  private drainWaiters: (() => void)[] = [];
  private readonly write: (fd: number, data: Buffer) => number;
  /** the error that closed the channel, if one did */
  failure: string | null = null;
  /** called once when the channel closes on an error */
  onFailure: ((code: string) => void) | null = null;
  /** called whenever everything queued has been written (a screen sends its newest frame) */
  onIdle: (() => void) | null = null;

  constructor(
    readonly target: number,
    options: OutputChannelOptions = {},
  ) {
    const reopened = reopenNonBlocking(target);
    this.fd = reopened ?? target;
    this.own = reopened !== null;
    this.write = options.writeSync ?? writeSync;
  }

  /** Nothing is waiting to be written. */
  get idle(): boolean {
    return this.queue.length === 0 && this.progress === null;
  }

  /** Queue `text`; writes what it can at once and never waits. */
  send(text: string, kind: OutputKind = 'line'): void {
    if (this.failure !== null || text.length === 0) return;
    const data = Buffer.from(text);
    if (kind === 'progress' && !this.idle) this.progress = data;
    else if (kind === 'progress' || this.progress === null) this.queue.push(data);
    else {
      // a line after a waiting progress line: the progress line keeps its place before it
      this.queue.push(this.progress, data);
      this.progress = null;
    }
    this.pump();
  }

  /** Resolves once everything queued is written (or the channel failed). */
  drained(): Promise<void> {
    if (this.idle || this.failure !== null) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /** Drops what waits and releases the descriptor; nothing more is written. */
  close(): void {
    this.clearRetry();
    this.queue.length = 0;
    this.progress = null;
    this.settleDrain();
    if (this.own) {
      try {
        closeSync(this.fd);
      } catch {
        // already gone
      }
    }
  }

  private pump(): void {
    if (this.retry) return; // a retry is scheduled: keep the order
    for (;;) {
      if (this.queue.length === 0 && this.progress !== null) {
        this.queue.push(this.progress);
        this.progress = null;
      }
      const head = this.queue[0];
      if (!head) break;
      let written: number;
      try {
        written = this.write(this.fd, head);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
        if (code === 'EAGAIN' || code === 'EWOULDBLOCK' || code === 'EINTR') {
          this.scheduleRetry();
          return;
        }
        this.fail(code);
        return;
      }
      if (written < head.length) {
        this.queue[0] = head.subarray(written);
        this.scheduleRetry();
        return;
      }
      this.queue.shift();
    }
    this.settleDrain();
  }

  private scheduleRetry(): void {
    // Referenced: the process stays until what it promised to write is written.
    this.retry = setTimeout(() => {
      this.retry = null;
      this.pump();
    }, RETRY_MS);
  }

  private clearRetry(): void {
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
  }

  private fail(code: string): void {
    this.failure = code;
    this.close();
    this.onFailure?.(code);
  }

  private settleDrain(): void {
    if (this.failure === null) this.onIdle?.();
    if (!this.idle && this.failure === null) return; // more was sent meanwhile
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

let channels: Map<number, OutputChannel> | undefined;
/** The process's channel for stdout (1) or stderr (2), created on first use. */
export function outputChannel(fd: 1 | 2): OutputChannel {
  channels ??= new Map();
  let channel = channels.get(fd);
  if (!channel) {
    channel = new OutputChannel(fd);
    channels.set(fd, channel);
  }
  return channel;
}

const GIVE_UP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Resolves when stdout's and stderr's channels (those in use) have written everything, or when
 * a stop signal says not to wait for a terminal that does not drain (what is left is dropped;
 * the journal has it all).
 */
export async function outputDrained(): Promise<void> {
  const all = [...(channels?.values() ?? [])];
  if (all.every((c) => c.idle)) return;
  let giveUp = (): void => {};
  const stopped = new Promise<void>((resolve) => (giveUp = resolve));
  for (const signal of GIVE_UP_SIGNALS) process.on(signal, giveUp);
  try {
    await Promise.race([Promise.all(all.map((c) => c.drained())), stopped]);
  } finally {
    for (const signal of GIVE_UP_SIGNALS) process.off(signal, giveUp);
    for (const channel of all) if (!channel.idle) channel.close();
  }
}

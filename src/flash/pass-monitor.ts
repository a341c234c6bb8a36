/**
 * The main thread's view of the passes the device thread runs: it turns the thread's messages
 * and its call log (read on each tick) into progress, warnings and journal checkpoints (through
 * a ProgressTicker per pass), and keeps what the result needs (each pass's outcome, its
 * duration, the last call seen, every gap as the thread measured it). It runs after the fact:
 * the thread never waits for it.
 */
import type { TransferOutcome } from '../ioctl/card-device.js';
import type { ChunkPlan } from '../image/chunk-plan.js';
import { CallTimer, monotonicClock } from './call-timer.js';
import type { TransferListener } from './device-thread/device-thread.js';
import type { FlashEventInput, TransferSnapshot } from './events.js';
import { ProgressTicker } from './progress-ticker.js';
import type { PassHooks, PassName, PassResult } from './transfer.js';

export interface PassMonitorSinks {
  emit(event: FlashEventInput): void;
  checkpoint(pass: PassName, snapshot: TransferSnapshot): void;
  /** a pass began in the device thread (the validate pass follows the download at once) */
  passStarting(pass: PassName): void;
  /** called once the thread issued the close; `reload` after a complete validate */
  closing(reload: boolean): void;
  /** a test-only pause of the main thread (see test-hooks.ts) */
  afterCall?(pass: PassName, call: number): void;
}

export interface PassFailure {
  readonly pass: PassName;
  readonly result: Exclude<PassResult, { kind: 'complete' }>;
}

export type TransferSettled =
  { readonly kind: 'reload' } | { readonly kind: 'failure'; readonly failure: PassFailure };

export class PassMonitor implements TransferListener {
  /** a mirror of the thread's timer, fed with the thread's own stamps (same clock) */
  readonly timer = new CallTimer();
  /** every gap, as the device thread measured it */
  readonly gaps: number[] = [];
  readonly durationsMs: Partial<Record<PassName, number>> = {};
  /** the last call that returned (0-based), for the journal */
  lastCall: number | null = null;
  private failed: PassFailure | null = null;
  private ticker: ProgressTicker | null = null;
  private hooks: PassHooks | null = null;
  private passStartedAt = 0;
  private settle: (how: TransferSettled) => void = () => {};
  /**
   * Resolves when the transfer's end is known: a pass that did not complete, or the close after
   * a complete validate (the reload). The thread may still be closing.
   */
  readonly settled = new Promise<TransferSettled>((resolve) => (this.settle = resolve));

  constructor(
    private readonly plan: ChunkPlan,
    private readonly sinks: PassMonitorSinks,
    private readonly tickMs?: number,
  ) {}

  get largestGapMs(): number {
    return this.gaps.reduce((a, b) => Math.max(a, b), 0);
  }

  /** the pass that did not complete, if one did not */
  get failure(): PassFailure | null {
    return this.failed;
  }

  passStarted(pass: PassName, at: number, readCalls: () => void): void {
    this.sinks.passStarting(pass);
    this.passStartedAt = monotonicClock();
    this.ticker = new ProgressTicker(
      pass,
      this.plan,
      this.timer,
      {
        emit: (e) => this.sinks.emit(e),
        checkpoint: (s) => this.sinks.checkpoint(pass, s),
      },
      { tickMs: this.tickMs, beforeTick: readCalls, startedAt: at },
    );
    this.ticker.start();
    this.hooks = this.ticker.hooks(() => false);
  }

  callStarted(_pass: PassName, call: number, at: number): void {
    this.timer.callStarting(at);
    this.hooks?.onCallStart?.(call, at);
  }

  callEnded(pass: PassName, call: number, outcome: TransferOutcome, at: number): void {
    this.timer.callReturned(at);
    this.hooks?.onCallEnd?.(call, outcome, at);
    this.sinks.afterCall?.(pass, call);
  }

  passEnded(pass: PassName, result: PassResult, gaps: readonly number[]): void {
    this.gaps.push(...gaps);
    if (result.kind === 'complete') this.timer.passEnded();
    else this.failed = { pass, result };
    const final = this.ticker?.stop();
    if (final) this.lastCall = final.call > 0 ? final.call - 1 : null;
    if (result.kind === 'failed' || result.kind === 'early-done' || result.kind === 'overrun')
      this.lastCall = result.call;
    this.durationsMs[pass] = monotonicClock() - this.passStartedAt;
    this.ticker = null;
    this.hooks = null;
    if (this.failed) this.settle({ kind: 'failure', failure: this.failed });
  }

  closing(reload: boolean): void {
    this.sinks.closing(reload);
    if (reload) this.settle({ kind: 'reload' });
  }

  /** Stop the ticker of a pass the thread will never end (it died). */
  abandon(): void {
    this.ticker?.stop();
    this.ticker = null;
  }
}

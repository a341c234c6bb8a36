/**
 * The engine's clock during a pass: progress snapshots (one when the pass starts, one per
 * completed call, and every tick), gap and long-busy warnings, and journal checkpoints.
 *
 * It runs on the main thread, after the fact: the device thread logs each call (call-log.ts),
 * and the log is read before every tick (`beforeTick`) and when the pass ends. A completed
 * call's snapshot is taken as of the moment the next call was issued (the thread's stamp), so it
 * shows the next call in flight (the pass's last call is taken by `stop`), and queued; the queue
 * is published on the next turn of the event loop and drained, in order, before every tick and
 * by `stop`, so no tick overtakes a completed call and nothing of a pass comes after it has
 * ended (docs/events.md).
 */
import type { TransferOutcome } from '../ioctl/card-device.js';
import type { ChunkPlan } from '../image/chunk-plan.js';
import { formatMs } from '../report/format.js';
import {
  GAP_CRITICAL_MS,
  GAP_WARNING_MS,
  HYPERVISOR_GAP_LIMIT_MS,
  LONG_BUSY_NOTICE_MS,
  type CallTimer,
  type Clock,
  monotonicClock,
} from './call-timer.js';
import type { FlashEventInput, TransferSnapshot } from './events.js';
import type { PassHooks, PassName } from './transfer.js';

export interface TickerOptions {
  readonly tickMs?: number;
  readonly checkpointMs?: number;
  readonly clock?: Clock;
  /** run publication later, after the current call has been issued (default: setImmediate) */
  readonly defer?: (fn: () => void) => void;
  /** when the pass began, on the clock (default: when the ticker is made) */
  readonly startedAt?: number;
  /** bring the calls up to date (read the device thread's call log) before each tick */
  readonly beforeTick?: () => void;
}

export interface TickerSinks {
  emit(event: FlashEventInput): void;
  checkpoint(snapshot: TransferSnapshot): void;
}

const CHUNK_LETTER = { pending: 'p', inFlight: 'f', done: 'd', failed: 'x' } as const;

export class ProgressTicker {
  private readonly chunks: string[];
  private completed = 0;
  private bytes = 0;
  private readonly startedAt: number;
  /** when the first call returned: the first download call also erases, so rates start here */
  private firstReturnAt: number | null = null;
  private firstCallBytes = 0;
  private timer: NodeJS.Timeout | null = null;
  private lastCheckpointAt: number;
  private lastCheckpointCall = 0;
  private lastTickAt: number;
  private warnedLongBusyFor = -1;
  private warnedGapOpen = false;
  private currentCall = -1;
  /** captured per-call events not yet published, in order */
  private pending: FlashEventInput[] = [];
  private flushScheduled = false;
  private stopped = false;
  private readonly clock: Clock;
  private readonly defer: (fn: () => void) => void;

  constructor(
    readonly pass: PassName,
    private readonly plan: ChunkPlan,
    private readonly callTimer: CallTimer,
    private readonly sinks: TickerSinks,
    private readonly options: TickerOptions = {},
  ) {
    this.clock = options.clock ?? monotonicClock;
    this.defer = options.defer ?? ((fn) => setImmediate(fn));
    this.chunks = plan.calls.map(() => CHUNK_LETTER.pending);
    this.startedAt = options.startedAt ?? this.clock();
    this.lastCheckpointAt = this.startedAt;
    this.lastTickAt = this.startedAt;
  }

  /** The hooks runPass calls; each does only bookkeeping. */
  hooks(shouldStop: () => boolean): PassHooks {
    return {
      shouldStop,
      onCallStart: (call, at) => {
        this.currentCall = call;
        this.chunks[call] = CHUNK_LETTER.inFlight;
        if (call === 0) return;
        // Call `call - 1` completed: its event, as of the moment the next call was issued.
        this.enqueue({ event: 'progress', ...this.snapshot(at) });
        const gap = this.callTimer.gaps.at(-1);
        if (gap !== undefined && gap > GAP_WARNING_MS) this.enqueue(this.gapWarning(call, gap));
      },
      onCallEnd: (call, outcome, at) => this.callEnded(call, outcome, at),
    };
  }

  start(): void {
    this.lastTickAt = this.clock();
    this.emitSnapshot();
    this.timer = setInterval(() => this.tick(), this.options.tickMs ?? 100);
    this.timer.unref();
  }

  /**
   * The pass is over: publish what is queued, then the final snapshot (the last completed call,
   * with a failed call marked), so nothing of this pass can follow the next phase's events.
   */
  stop(): TransferSnapshot {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.flush();
    this.stopped = true;
    const final = this.snapshot();
    this.sinks.emit({ event: 'progress', ...final });
    this.sinks.checkpoint(final);
    return final;
  }

  /** the pass as of `now` (default: this instant) */
  snapshot(now: number = this.clock()): TransferSnapshot {
    const timing = this.callTimer.snapshot(now);
    const elapsedMs = now - this.startedAt;
    let rate: number | null = null;
    if (this.firstReturnAt !== null && this.completed > 1) {
      const since = (now - this.firstReturnAt) / 1000;
      if (since > 0) rate = (this.bytes - this.firstCallBytes) / since;
    } else if (this.completed === 1 && elapsedMs > 0) {
      rate = this.bytes / (elapsedMs / 1000);
    }
    const remaining = this.plan.imageSize - this.bytes;
    return {
      phase: this.pass,
      call: this.completed,
      calls: this.plan.calls.length,
      bytes: this.bytes,
      totalBytes: this.plan.imageSize,
      rateBytesPerSec: rate,
      etaSec: rate && rate > 0 ? remaining / rate : null,
      gapSinceReturnMs: timing.gapSinceReturnMs,
      inFlightMs: timing.inFlightMs,
      largestGapMs: timing.largestGapMs,
      elapsedMs,
      chunks: this.chunks.join(''),
    };
  }

  /** `at`: when the call returned (the device thread's stamp: the log is read up to a tick late) */
  private callEnded(call: number, outcome: TransferOutcome, at: number): void {
    const size = this.plan.calls[call]?.lenData ?? 0;
    if (outcome.kind === 'error') {
      this.chunks[call] = CHUNK_LETTER.failed;
      return;
    }
    this.chunks[call] = CHUNK_LETTER.done;
    this.completed = call + 1;
    this.bytes += size;
    if (this.firstReturnAt === null) {
      this.firstReturnAt = at;
      this.firstCallBytes = size;
    }
    this.warnedGapOpen = false;
  }

  private enqueue(event: FlashEventInput): void {
    if (this.stopped) return;
    this.pending.push(event);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    this.defer(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  /** Publish the queued per-call events, oldest first. */
  private flush(): void {
    const events = this.pending;
    this.pending = [];
    for (const event of events) this.sinks.emit(event);
  }

  private tick(): void {
    // Per-call events first: a tick must never overtake a call that completed before it.
    this.options.beforeTick?.();
    this.flush();
    this.noticeStall();
    const snap = this.snapshot();
    this.sinks.emit({ event: 'progress', ...snap });
    if (
      snap.inFlightMs !== null &&
      snap.inFlightMs > LONG_BUSY_NOTICE_MS &&
      this.warnedLongBusyFor !== this.currentCall
    ) {
      this.warnedLongBusyFor = this.currentCall;
      this.sinks.emit({
        event: 'warning',
        code: 'long-busy',
        message: `${this.pass} call ${this.currentCall + 1} has been in the hypervisor for ${formatMs(snap.inFlightMs)}: long-busy waits can last up to 120 s per call and cannot be interrupted.`,
      });
    }
    if (
      snap.gapSinceReturnMs !== null &&
      snap.gapSinceReturnMs > GAP_WARNING_MS &&
      !this.warnedGapOpen
    ) {
      this.warnedGapOpen = true;
      this.sinks.emit({
        event: 'warning',
        code: 'gap-open',
        message: `No call for ${formatMs(snap.gapSinceReturnMs)} since the last return; the hypervisor may abandon the download after ${HYPERVISOR_GAP_LIMIT_MS / 1000} s.`,
      });
    }
    const now = this.clock();
    // Every second, and every 5 % of the pass, so "last seen" is never further behind than that.
    const fivePercent = Math.max(1, Math.ceil(snap.calls / 20));
    if (
      now - this.lastCheckpointAt >= (this.options.checkpointMs ?? 1000) ||
      snap.call - this.lastCheckpointCall >= fivePercent
    ) {
      this.lastCheckpointAt = now;
      this.lastCheckpointCall = snap.call;
      this.sinks.checkpoint(snap);
    }
  }

  /**
   * A tick that comes far too late means the main thread did not run (a long pause, starvation)
   * or the whole process was stopped (SIGSTOP). The calls are the device thread's and go on
   * through a pause of the main thread; a stopped process stops them too, and the largest gap
   * will say so.
   */
  private noticeStall(): void {
    const now = this.clock();
    const late = now - this.lastTickAt - (this.options.tickMs ?? 100);
    this.lastTickAt = now;
    if (late < GAP_WARNING_MS) return;
    this.sinks.emit({
      event: 'warning',
      code: late > GAP_CRITICAL_MS ? 'stalled-critical' : 'stalled',
      message: `The display did not run for ${formatMs(late)}. The calls run on their own thread and go on meanwhile, unless the whole process was stopped: the hypervisor abandons a download left waiting more than ${HYPERVISOR_GAP_LIMIT_MS / 1000} s, and the largest gap shows whether that happened.`,
    });
  }

  private emitSnapshot(): void {
    this.sinks.emit({ event: 'progress', ...this.snapshot() });
  }

  private gapWarning(call: number, gap: number): FlashEventInput {
    return {
      event: 'warning',
      code: gap > GAP_CRITICAL_MS ? 'gap-critical' : 'gap',
      message: `${formatMs(gap)} passed between ${this.pass} call ${call} returning and call ${call + 1} starting (the hypervisor's limit is ${HYPERVISOR_GAP_LIMIT_MS / 1000} s).`,
    };
  }
}

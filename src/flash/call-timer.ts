/**
 * The gap watchdog's clock (docs/architecture.md §5): the time from each call's return to the next call's
 * start, and how long the call in flight has taken. After an ioctl returns 1 the hypervisor
 * expects the next call within 3 seconds (docs/kernel-contract.md §6).
 */

/** §6: after H_CONTINUE the next call must come within 3 s or the sequence may be abandoned. */
export const HYPERVISOR_GAP_LIMIT_MS = 3000;
/** A gap this long is already abnormal for a loop that only issues the next call. */
export const GAP_WARNING_MS = 1000;
/** Near the limit: the warning becomes prominent. */
export const GAP_CRITICAL_MS = 2500;
/** A call in flight this long is in the hypervisor's long-busy retries (§4.7). */
export const LONG_BUSY_NOTICE_MS = 5000;

export type Clock = () => number;

/**
 * CLOCK_MONOTONIC in milliseconds, the same clock in every thread (unlike `performance.now()`,
 * whose origin is each thread's start): the device thread stamps its calls with it and the main
 * thread compares those stamps with its own now.
 */
export const monotonicClock: Clock = () => Number(process.hrtime.bigint() / 1000n) / 1000;

export interface CallTiming {
  readonly gapSinceReturnMs: number | null;
  readonly inFlightMs: number | null;
  readonly largestGapMs: number;
}

export class CallTimer {
  private lastReturnAt: number | null = null;
  private inFlightSince: number | null = null;
  private largest = 0;
  /** every measured gap, in call order (for the journal summary and the benchmark) */
  readonly gaps: number[] = [];

  constructor(readonly now: Clock = monotonicClock) {}

  /**
   * A call is about to be issued; returns the gap since the previous return, if any. `at` is the
   * time the device thread stamped (same clock); the default is now.
   */
  callStarting(at: number = this.now()): number | null {
    this.inFlightSince = at;
    if (this.lastReturnAt === null) return null;
    const gap = at - this.lastReturnAt;
    this.gaps.push(gap);
    if (gap > this.largest) this.largest = gap;
    return gap;
  }

  callReturned(at: number = this.now()): void {
    this.lastReturnAt = at;
    this.inFlightSince = null;
  }

  /** Forget the last return, e.g. after a pass ended with 0 (no 3-second rule applies). */
  passEnded(): void {
    this.lastReturnAt = null;
  }

  get largestGapMs(): number {
    return this.largest;
  }

  /** the timing as of `at` (default: now) */
  snapshot(at: number = this.now()): CallTiming {
    return {
      gapSinceReturnMs:
        this.inFlightSince === null && this.lastReturnAt !== null ? at - this.lastReturnAt : null,
      inFlightMs: this.inFlightSince === null ? null : at - this.inFlightSince,
      largestGapMs: this.largest,
    };
  }
}

/** The p-th percentile (0-100) of a list, nearest-rank; null for an empty list. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? null;
}

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CallTimer } from '../../src/flash/call-timer.js';
import type { FlashEventInput } from '../../src/flash/events.js';
import { ProgressTicker } from '../../src/flash/progress-ticker.js';
import { chunkPlan } from '../../src/image/chunk-plan.js';

describe('progress ticker', () => {
  let now = 0;
  let events: FlashEventInput[];
  let deferred: (() => void)[];
  let checkpoints: number[];
  const plan = chunkPlan(3 * 1_048_576); // 4 calls
  const clock = (): number => now;
  beforeEach(() => {
    vi.useFakeTimers();
    now = 1000;
    events = [];
    deferred = [];
    checkpoints = [];
  });
  afterEach(() => vi.useRealTimers());

  const make = (): { ticker: ProgressTicker; timer: CallTimer } => {
    const timer = new CallTimer(clock);
    const ticker = new ProgressTicker(
      'download',
      plan,
      timer,
      { emit: (e) => events.push(e), checkpoint: (s) => checkpoints.push(s.call) },
      { tickMs: 100, checkpointMs: 1000, clock, defer: (fn) => deferred.push(fn) },
    );
    return { ticker, timer };
  };
  type Hooks = ReturnType<ProgressTicker['hooks']>;
  const begin = (timer: CallTimer, hooks: Hooks, i: number): void => {
    timer.callStarting();
    hooks.onCallStart?.(i, now);
  };
  const end = (timer: CallTimer, hooks: Hooks, i: number, ms: number): void => {
    now += ms;
    timer.callReturned();
    hooks.onCallEnd?.(i, { kind: 'continue' }, now);
  };
  const call = (timer: CallTimer, hooks: Hooks, i: number, ms: number): void => {
    begin(timer, hooks, i);
    end(timer, hooks, i, ms);
  };
  const warnings = (): string[] => events.flatMap((e) => (e.event === 'warning' ? [e.code] : []));
  const progress = (): { call: number; chunks: string }[] =>
    events.flatMap((e) => (e.event === 'progress' ? [{ call: e.call, chunks: e.chunks }] : []));
  const runDeferred = (): void => {
    for (const fn of deferred.splice(0)) fn();
  };

  it('publishes each call once the next is issued, with the chunk map, rate and ETA', () => {
    const { ticker, timer } = make();
    const hooks = ticker.hooks(() => false);
    ticker.start();
    expect(progress()).toEqual([{ call: 0, chunks: 'pppp' }]);
    call(timer, hooks, 0, 4000); // the first call also erases
    begin(timer, hooks, 1);
    expect(deferred).toHaveLength(1);
    expect(events).toHaveLength(1); // nothing published inside the gap
    runDeferred();
    expect(events.at(-1)).toMatchObject({
      event: 'progress',
      call: 1,
      bytes: 1_048_448,
      chunks: 'dfpp',
      inFlightMs: 0,
    });
    end(timer, hooks, 1, 500);
    begin(timer, hooks, 2);
    runDeferred();
    const last = events.at(-1);
    expect(last).toMatchObject({
      event: 'progress',
      call: 2,
      calls: 4,
      bytes: 1_048_448 + 1_048_576,
      chunks: 'ddfp',
    });
    // the rate starts after the erasing first call: 1 MiB in 0.5 s
    if (last?.event !== 'progress') throw new Error('expected progress');
    expect(last.rateBytesPerSec).toBeCloseTo(1_048_576 / 0.5, 0);
    expect(last.etaSec).toBeCloseTo(
      (3 * 1_048_576 - last.bytes) / (last.rateBytesPerSec ?? NaN),
      5,
    );
  });

  it('gives every call its own event when calls complete faster than they are published', () => {
    const { ticker, timer } = make();
    const hooks = ticker.hooks(() => false);
    ticker.start();
    for (let i = 0; i < 4; i++) call(timer, hooks, i, 1); // no turn of the event loop between
    expect(deferred).toHaveLength(1);
    const final = ticker.stop(); // the pass ended before the publication ran
    expect(final).toMatchObject({ call: 4, chunks: 'dddd' });
    expect(progress()).toEqual([
      { call: 0, chunks: 'pppp' },
      { call: 1, chunks: 'dfpp' },
      { call: 2, chunks: 'ddfp' },
      { call: 3, chunks: 'dddf' },
      { call: 4, chunks: 'dddd' },
    ]);
    runDeferred(); // late: nothing of this pass after stop
    expect(progress()).toHaveLength(5);
  });

  it('publishes the queued calls before a tick, so the calls never go back', () => {
    const { ticker, timer } = make();
    const hooks = ticker.hooks(() => false);
    ticker.start();
    call(timer, hooks, 0, 10);
    call(timer, hooks, 1, 10);
    begin(timer, hooks, 2);
    now += 100;
    vi.advanceTimersByTime(100); // a tick before the deferred publication
    expect(progress()).toEqual([
      { call: 0, chunks: 'pppp' },
      { call: 1, chunks: 'dfpp' },
      { call: 2, chunks: 'ddfp' },
      { call: 2, chunks: 'ddfp' }, // the tick
    ]);
    runDeferred();
    expect(progress()).toHaveLength(4);
    ticker.stop();
  });

  it('warns about a gap over 1 s between a return and the next call', () => {
    const { ticker, timer } = make();
    const hooks = ticker.hooks(() => false);
    call(timer, hooks, 0, 10);
    now += 1200; // our own delay before the next call
    call(timer, hooks, 1, 10);
    runDeferred();
    expect(warnings()).toEqual(['gap']);
    now += 2600;
    call(timer, hooks, 2, 10);
    runDeferred();
    expect(warnings()).toEqual(['gap', 'gap-critical']);
  });

  it('warns once per call about long-busy and notices when the process did not run', () => {
    const { ticker, timer } = make();
    const hooks = ticker.hooks(() => false);
    ticker.start();
    timer.callStarting();
    hooks.onCallStart?.(0, now);
    for (let i = 0; i < 60; i++) {
      now += 100;
      vi.advanceTimersByTime(100);
    }
    expect(warnings()).toEqual(['long-busy']);
    now += 3400; // the next tick comes 3.4 s late: the process was stopped
    vi.advanceTimersByTime(100);
    expect(warnings()).toEqual(['long-busy', 'stalled-critical']);
    expect(checkpoints.length).toBeGreaterThanOrEqual(6);
    ticker.stop();
  });

  it('checkpoints every 5 % of a pass even when the calls are fast, so "last seen" is never further behind', () => {
    const big = chunkPlan(64 * 1_048_576);
    const timer = new CallTimer(clock);
    const ticker = new ProgressTicker(
      'validate',
      big,
      timer,
      { emit: (e) => events.push(e), checkpoint: (s) => checkpoints.push(s.call) },
      { tickMs: 100, checkpointMs: 1000, clock, defer: (fn) => deferred.push(fn) },
    );
    const hooks = ticker.hooks(() => false);
    ticker.start();
    const step = Math.ceil(big.calls.length / 20);
    for (let i = 0; i < 60; i++) {
      call(timer, hooks, i, 1);
      runDeferred();
      vi.advanceTimersByTime(100); // one tick per call; under a second of the clock in all
    }
    expect(now - 1000).toBeLessThan(1000);
    expect(checkpoints.length).toBeGreaterThanOrEqual(Math.floor(60 / step));
    const gaps = checkpoints.slice(1).map((c, k) => c - (checkpoints[k] ?? 0));
    expect(Math.max(...gaps)).toBeLessThanOrEqual(step);
    ticker.stop();
  });
});

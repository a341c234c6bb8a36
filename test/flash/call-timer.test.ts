import { describe, expect, it } from 'vitest';
import { CallTimer, percentile } from '../../src/flash/call-timer.js';

function fakeClock(): { now: () => number; advance: (ms: number) => void } {
  let t = 1000;
  return { now: () => t, advance: (ms) => (t += ms) };
}

describe('CallTimer', () => {
  it('measures the gap from a return to the next start and the largest gap', () => {
    const clock = fakeClock();
    const timer = new CallTimer(clock.now);
    expect(timer.callStarting()).toBeNull(); // the first call has no gap
    clock.advance(500);
    timer.callReturned();
    clock.advance(2);
    expect(timer.callStarting()).toBe(2);
    clock.advance(300);
    timer.callReturned();
    clock.advance(40);
    expect(timer.callStarting()).toBe(40);
    expect(timer.largestGapMs).toBe(40);
    expect(timer.gaps).toEqual([2, 40]);
  });

  it('reports the in-flight duration while a call runs and the open gap while none does', () => {
    const clock = fakeClock();
    const timer = new CallTimer(clock.now);
    timer.callStarting();
    clock.advance(7000);
    expect(timer.snapshot()).toEqual({ gapSinceReturnMs: null, inFlightMs: 7000, largestGapMs: 0 });
    timer.callReturned();
    clock.advance(1200);
    expect(timer.snapshot()).toEqual({ gapSinceReturnMs: 1200, inFlightMs: null, largestGapMs: 0 });
  });

  it('does not count the time between passes as a gap after passEnded', () => {
    const clock = fakeClock();
    const timer = new CallTimer(clock.now);
    timer.callStarting();
    timer.callReturned();
    timer.passEnded();
    clock.advance(5000);
    expect(timer.callStarting()).toBeNull();
    expect(timer.largestGapMs).toBe(0);
  });
});

describe('percentile', () => {
  it('uses the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile([5], 99)).toBe(5);
    expect(percentile([], 50)).toBeNull();
  });
});

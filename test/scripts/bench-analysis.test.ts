/** The arithmetic behind `npm run bench` (the figures themselves are never asserted). */
import { describe, expect, it } from 'vitest';
import { linearFit, median, terminalWindow } from '../../scripts/bench/analysis.js';

describe('bench analysis', () => {
  it('takes the median of odd and even counts', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow();
  });

  it('fits a line: slope, intercept and r² of 1 for exact points, lower for noisy ones', () => {
    const exact = linearFit([
      [16, 250],
      [64, 442],
      [256, 1210],
    ]);
    expect(exact.slope).toBeCloseTo(4, 6);
    expect(exact.intercept).toBeCloseTo(186, 6);
    expect(exact.r2).toBeCloseTo(1, 9);
    const bent = linearFit([
      [16, 100],
      [64, 100],
      [256, 2000],
    ]);
    expect(bent.r2).toBeLessThan(0.99);
  });

  it('counts bytes and updates between two markers, merging reads of one update', () => {
    const chunks = [
      { at: 0, text: 'start screen' },
      { at: 100, text: '4/7 Download frame' }, // opens the window
      { at: 105, text: 'rest of it' }, // same update (5 ms later)
      { at: 300, text: 'xx' },
      { at: 500, text: 'yyyy' },
      { at: 1100, text: '6/7 Rel' }, // the closing marker begins here: the window ends
      { at: 1101, text: 'oad' },
    ];
    const w = terminalWindow(chunks, /4\/7 Download/, /6\/7 Reload/);
    expect(w).not.toBeNull();
    expect(w?.seconds).toBeCloseTo(1, 6);
    // from the opening read up to the read where the closing marker begins, that one excluded
    expect(w?.bytes).toBe('4/7 Download frame'.length + 'rest of it'.length + 2 + 4);
    expect(w?.updates).toBe(3);
    expect(terminalWindow(chunks, /never/, /6\/7 Reload/)).toBeNull();
  });
});

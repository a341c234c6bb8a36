/** The arithmetic behind `npm run bench` (the figures themselves are never asserted). */
import { describe, expect, it } from 'vitest';
import {
  DOWNLOAD_SHOWN,
  linearFit,
  median,
  RELOAD_SHOWN,
  terminalWindow,
} from '../../scripts/bench/analysis.js';

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

  it('finds the transfer in what the screen writes as changes only (the bench markers)', () => {
    const ESC = String.fromCharCode(27);
    const chunks = [
      { at: 0, text: `cxl-flasher · 3/7 Opening${ESC}[?2026l` },
      // the heading's changed word only, then the new rows of the download screen
      { at: 200, text: `${ESC}[23A${ESC}[19G${ESC}[0mDownload   \r\n` },
      { at: 201, text: 'Download ░░░░ 0% 0 B of 64.0 MiB\r\ncall 0 of 65 done · – MB/s\r\n' },
      { at: 900, text: `${ESC}[2Gcall 40 of 65 done` },
      { at: 15_000, text: `${ESC}[15G${ESC}[0m6/7 Reload  ` },
    ];
    expect(terminalWindow(chunks, /4\/7 Download/, /6\/7 Reload/)).toBeNull();
    const w = terminalWindow(chunks, DOWNLOAD_SHOWN, RELOAD_SHOWN);
    expect(w?.seconds).toBeCloseTo(14.799, 3);
    expect(w?.updates).toBe(2);
  });
});

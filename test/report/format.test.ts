import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatClock,
  formatId,
  formatMs,
  formatRate,
  percent,
} from '../../src/report/format.js';

describe('formatting', () => {
  it('formats bytes in binary units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(64 * 1024 * 1024)).toBe('64.0 MiB');
    expect(formatBytes(256 * 1024 * 1024)).toBe('256 MiB');
  });

  it('formats rates, clocks and milliseconds', () => {
    expect(formatRate(1_250_000)).toBe('1.3 MB/s');
    expect(formatRate(null)).toBe('– MB/s');
    expect(formatClock(65)).toBe('1:05');
    expect(formatClock(3725)).toBe('1:02:05');
    expect(formatClock(null)).toBe('–:––');
    expect(formatMs(850)).toBe('850 ms');
    expect(formatMs(0.12)).toBe('<1 ms');
    expect(formatMs(0)).toBe('0 ms');
    expect(formatMs(1234)).toBe('1.2 s');
    expect(formatMs(125_000)).toBe('2:05');
  });

  it('formats IDs and percentages', () => {
    expect(formatId(0x1014)).toBe('0x1014');
    expect(formatId(0x477)).toBe('0x0477');
    expect(formatId(null)).toBe('unknown');
    expect(percent(50, 200)).toBe(25);
    expect(percent(0, 0)).toBe(100);
    expect(percent(199, 200)).toBe(99);
  });
});

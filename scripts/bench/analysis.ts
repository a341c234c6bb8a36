/** The arithmetic of `npm run bench`: medians, a least-squares line, and terminal-stream windows. */

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? NaN)
    : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

export interface LineFit {
  /** change of y per unit of x */
  readonly slope: number;
  readonly intercept: number;
  /** coefficient of determination: 1 is a perfect line */
  readonly r2: number;
}

/** Ordinary least squares through (x, y) points. */
export function linearFit(points: readonly (readonly [number, number])[]): LineFit {
  const n = points.length;
  if (n < 2) throw new Error('a line needs two points');
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (const [x, y] of points) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
    syy += (y - my) ** 2;
  }
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  const r2 = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
  return { slope, intercept, r2 };
}

/** One read from the pseudo-terminal: when it arrived (ms) and what it held. */
export interface TerminalChunk {
  readonly at: number;
  readonly text: string;
}

export interface TerminalWindow {
  readonly seconds: number;
  readonly bytes: number;
  readonly bytesPerSec: number;
  /** screen updates: reads closer than `mergeMs` to the previous one count as the same update */
  readonly updates: number;
  readonly updatesPerSec: number;
}

/**
 * Bytes and screen updates between the first appearance of `from` and the first appearance of
 * `to` after it (both searched in the whole stream, so a marker split across reads is found).
 * The window opens at the read where `from` begins and closes at the read where `to` begins;
 * that closing read is not counted.
 */
/**
 * Where the wizard's transfer shows in what it wrote: from the download's first progress line to
 * the reload's heading. The screen writes only what changed, so a heading can come as one word
 * at its column ("Download" over "Opening", without "4/7"); the progress line ("call 0 of 65
 * done") is the download's first text that is new as a whole.
 */
export const DOWNLOAD_SHOWN = /call \d+ of \d+ done/;
export const RELOAD_SHOWN = /Reload/;

export function terminalWindow(
  chunks: readonly TerminalChunk[],
  from: RegExp,
  to: RegExp,
  mergeMs = 15,
): TerminalWindow | null {
  const ends: number[] = [];
  let all = '';
  for (const c of chunks) {
    all += c.text;
    ends.push(all.length);
  }
  const chunkAt = (offset: number): number => ends.findIndex((end) => end > offset);
  const start = all.search(from);
  if (start < 0) return null;
  const first = chunkAt(start);
  const tail = all.slice(ends[first] ?? all.length);
  const endMatch = tail.search(to);
  if (endMatch < 0) return null;
  const last = chunkAt((ends[first] ?? 0) + endMatch);
  const opened = chunks[first];
  const closed = chunks[last];
  if (!opened || !closed || closed.at <= opened.at) return null;
  let bytes = 0;
  let updates = 0;
  let previous = -Infinity;
  for (const c of chunks.slice(first, last)) {
    bytes += Buffer.byteLength(c.text);
    if (c.at - previous > mergeMs) updates++;
    previous = c.at;
  }
  const seconds = (closed.at - opened.at) / 1000;
  return {
    seconds,
    bytes,
    bytesPerSec: bytes / seconds,
    updates,
    updatesPerSec: updates / seconds,
  };
}

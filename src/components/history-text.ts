/** Words and columns for the history list (pure). */
import { basename } from 'node:path';
import type { Attempt } from '../journal/records.js';
import { formatMs } from '../report/format.js';
import { formatWhen } from './layout.js';

export function outcomeOf(a: Attempt): string {
  return a.terminal?.type ?? 'unfinished';
}

/** Wall time from the start record to the terminal record; null while unfinished. */
export function durationMs(a: Attempt): number | null {
  if (!a.terminal) return null;
  const ms = Date.parse(a.terminal.time) - Date.parse(a.start.time);
  return Number.isFinite(ms) ? ms : null;
}

export function largestGapMs(a: Attempt): number | null {
  return a.terminal?.largestGapMs ?? a.lastProgress?.largestGapMs ?? null;
}

/** Most recent first. */
export function sortAttempts(attempts: readonly Attempt[]): Attempt[] {
  return [...attempts].sort((x, y) => Date.parse(y.start.time) - Date.parse(x.start.time));
}

const fit = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}~` : s);

/**
 * Two lines per attempt, so 80 columns hold every fact: when, outcome, duration and largest
 * gap; then the card and the image. A `*` marks a simulated adapter.
 */
export function historyLabel(a: Attempt, width: number): string {
  const gap = largestGapMs(a);
  const took = durationMs(a);
  const first = [
    formatWhen(a.start.time),
    `${outcomeOf(a).toUpperCase()}${a.start.simulated ? '*' : ''}`.padEnd(11),
    `took ${took === null ? '-' : formatMs(took)}`.padEnd(12),
    `largest gap ${gap === null ? '-' : formatMs(gap)}`,
  ].join('  ');
  const second = `  ${a.start.card.locationCode ?? a.start.card.name}  ${basename(a.start.image.path)}`;
  return `${fit(first, width)}\n${fit(second, width)}`;
}

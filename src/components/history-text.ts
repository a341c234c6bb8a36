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

const pad = (s: string, n: number): string =>
  s.length > n ? `${s.slice(0, n - 1)}~` : s.padEnd(n);

export const HISTORY_COLUMNS = [
  ['When', 20],
  ['Outcome', 11],
  ['Took', 7],
  ['Gap', 8],
  ['Card', 26],
] as const;

export function historyHeader(width: number): string {
  return pad(HISTORY_COLUMNS.map(([t, n]) => pad(t, n)).join('') + 'Image', width);
}

export function historyRow(a: Attempt, width: number): string {
  const gap = largestGapMs(a);
  const cells = [
    formatWhen(a.start.time),
    `${outcomeOf(a)}${a.start.simulated ? '*' : ''}`,
    durationMs(a) === null ? '-' : formatMs(durationMs(a)),
    gap === null ? '-' : formatMs(gap),
    a.start.card.locationCode ?? a.start.card.name,
  ];
  const fixed = cells.map((c, i) => pad(c, HISTORY_COLUMNS[i]?.[1] ?? 10)).join('');
  return pad(fixed + basename(a.start.image.path), width);
}

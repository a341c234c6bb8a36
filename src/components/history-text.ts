/** Words and columns for the history list (pure). */
import { basename } from 'node:path';
import type { Attempt } from '../journal/records.js';
import { formatMs } from '../report/format.js';
import { formatWhen } from './layout.js';

/**
 * The attempt a live flasher is running right now: the lock's holder, already checked by the
 * command (`holderRunning`), so the screens stay free of the lock and of process probes.
 */
export interface RunningAttempt {
  readonly attemptId: string;
  readonly pid: number;
  readonly phase: string;
}

/** `running` when it is this attempt's flasher, still at work (no terminal record yet). */
export function runningOf(a: Attempt, running: RunningAttempt | null): RunningAttempt | null {
  return !a.terminal && running?.attemptId === a.start.id ? running : null;
}

export function outcomeOf(a: Attempt): string {
  return a.terminal?.type ?? 'unfinished';
}

/** The outcome as `history` prints it: SUCCESS, UNFINISHED, or IN PROGRESS (pid N, phase P). */
export function outcomeLabel(a: Attempt, running: RunningAttempt | null = null): string {
  const r = runningOf(a, running);
  return r ? `IN PROGRESS (pid ${r.pid}, phase ${r.phase})` : outcomeOf(a).toUpperCase();
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
 * gap; then the card and the image. A `*` marks a simulated adapter. An attempt still running
 * has no duration and only a checkpoint's gap: its line says who runs it and where it is.
 */
export function historyLabel(
  a: Attempt,
  width: number,
  running: RunningAttempt | null = null,
): string {
  const gap = largestGapMs(a);
  const took = durationMs(a);
  const outcome = `${outcomeLabel(a, running)}${a.start.simulated ? '*' : ''}`;
  const first = (
    runningOf(a, running)
      ? [formatWhen(a.start.time), outcome]
      : [
          formatWhen(a.start.time),
          outcome.padEnd(11),
          `took ${took === null ? '-' : formatMs(took)}`.padEnd(12),
          `largest gap ${gap === null ? '-' : formatMs(gap)}`,
        ]
  ).join('  ');
  const second = `  ${a.start.card.locationCode ?? a.start.card.name}  ${basename(a.start.image.path)}`;
  return `${fit(first, width)}\n${fit(second, width)}`;
}

/**
 * The review's confirmation, laid out for the rows it has (pure). The verdict of the preflight
 * is always one line of it, so whatever the size nobody answers without seeing it; the long
 * consequence text gives way to a question that says it in a few words; and when not even that
 * fits beside the "more below" hint, there is no question at all.
 */
import type { PreflightCheck } from '../hardware/types.js';
import { wrappedRows } from './layout.js';

/** `9 checks passed, 1 warning`; failures and warnings only when there are some. */
export function preflightCounts(checks: readonly PreflightCheck[]): string {
  const n = (status: PreflightCheck['status']): number =>
    checks.filter((c) => c.status === status).length;
  const passed = n('pass');
  const parts = [`${passed} check${passed === 1 ? '' : 's'} passed`];
  if (n('warn') > 0) parts.push(`${n('warn')} warning${n('warn') === 1 ? '' : 's'}`);
  if (n('fail') > 0) parts.push(`${n('fail')} failed`);
  return parts.join(', ');
}

/** The verdict as one line of at most `width` columns. */
export function verdictLine(checks: readonly PreflightCheck[], width: number): string {
  const counts = preflightCounts(checks);
  const full = `Preflight: ${counts}`;
  return [...full].length <= width ? full : counts;
}

export const CONSEQUENCE =
  "The first download call erases the adapter's image. From then on Ctrl-C asks before aborting, and an abort leaves the adapter without a valid image until a complete flash succeeds.";

export type ConfirmVariant = 'full' | 'compact' | 'hidden';

export interface ConfirmLayout {
  readonly variant: ConfirmVariant;
  /** a blank row above the block */
  readonly margin: boolean;
}

/** The question as the compact variant asks it: the erase is in the question itself. */
export function compactQuestion(target: string): string {
  return `Erase the adapter's image and flash ${target}?`;
}

/**
 * Rows of the block: the verdict, the consequence (full only), the question. The scroll area
 * above keeps one row of content and its hint row when it can (`full`), or at least the hint.
 */
export function confirmLayout(input: {
  readonly bodyRows: number;
  readonly width: number;
  readonly question: string;
  readonly compact: string;
}): ConfirmLayout {
  const ask = (q: string): number => wrappedRows(`${q} y/N`, input.width);
  const full = 1 + wrappedRows(CONSEQUENCE, input.width) + ask(input.question);
  if (full + 1 + 2 <= input.bodyRows) return { variant: 'full', margin: true };
  const compact = 1 + ask(input.compact);
  if (compact + 1 + 2 <= input.bodyRows) return { variant: 'compact', margin: true };
  if (compact + 1 <= input.bodyRows) return { variant: 'compact', margin: false };
  return { variant: 'hidden', margin: false };
}

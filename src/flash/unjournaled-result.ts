/**
 * The result of a run that ended with no attempt in the journal: a quit, a refusal, bad input, or
 * an error before or outside the attempt. It has no durations, no gaps and no card after; the
 * attempt's own results come from attempt-end.ts.
 */
import { ExitCode } from '../exit-codes.js';
import { TRANSFER_PHASES } from './ctrl-c.js';
import type { CardSummary, Outcome, Phase, ResultDetails } from './events.js';

export function unjournaledResult(
  outcome: Outcome,
  exitCode: number,
  message: string,
  nextStep: string,
  before: CardSummary | null = null,
): ResultDetails {
  return {
    outcome,
    exitCode,
    journalId: null,
    message,
    nextStep,
    durationsMs: {},
    largestGapMs: null,
    gapP99Ms: null,
    before,
    after: null,
  };
}

/** An unexpected error before the device step (a bug, a failing read): nothing was touched. */
export function errorBeforeDeviceStepResult(error: unknown): ResultDetails {
  return unjournaledResult(
    'refused',
    ExitCode.PreflightRefused,
    `The run stopped on an unexpected error before the card device was opened: ${textOf(error)}. Nothing was touched.`,
    'Run `cxl-flasher doctor` to check the environment; if it persists, report it with the output of `cxl-flasher doctor --json`.',
  );
}

/** The device step failed outside the attempt: what the result says depends on how far it got. */
export function deviceStepErrorResult(phase: Phase, error: unknown): ResultDetails {
  const touched = TRANSFER_PHASES.includes(phase);
  return unjournaledResult(
    touched ? 'failed' : 'refused',
    touched ? ExitCode.FlashFailed : ExitCode.PreflightRefused,
    `The flash stopped on an unexpected error${touched ? ` during the ${phase}` : ''}: ${textOf(error)}.${touched ? ' The adapter may have been reset; `cxl-flasher recover` explains its state.' : ' The card device was not opened.'}`,
    'Run `cxl-flasher recover`, and report this with the output of `cxl-flasher doctor --json`.',
  );
}

function textOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

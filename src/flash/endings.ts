/**
 * How an attempt ends, in words and codes (docs/architecture.md §4): opening failed, the user aborted, the
 * card came back after the reload, or it did not. Failed passes are in failure.ts.
 */
import { EPERM, explainErrno } from '../ioctl/errno.js';
import { ExitCode, type ExitCodeValue } from '../exit-codes.js';
import type { TerminalOutcome } from '../journal/records.js';
import { formatMs } from '../report/format.js';
import type { CardSummary, ErrorDetails } from './events.js';
import type { PassName } from './transfer.js';
import { shown } from '../terminal-text.js';

/**
 * After a reset that followed the erase: the adapter holds none of the new image, and either no
 * valid image or the factory image it falls back to; which, the guest cannot read
 * (`cxl-flasher recover` says when the adapter reports it).
 */
const ERASED_NOW =
  'the download had erased its image, so until a complete flash succeeds it runs no valid image, or its factory image if it falls back to one';

export interface Ending {
  readonly outcome: TerminalOutcome;
  readonly exitCode: ExitCodeValue;
  readonly message: string;
  readonly nextStep: string;
  readonly error?: ErrorDetails;
  readonly after?: CardSummary;
}

/** A quit before the open was issued: the device was never opened, nothing was touched. */
export function quitBeforeOpenEnding(): Ending {
  return {
    outcome: 'aborted',
    exitCode: ExitCode.Interrupted,
    message: 'Quit before the card device was opened; the adapter was not touched.',
    nextStep: 'Nothing to recover.',
  };
}

export function openFailureEnding(errno: number, aborted: boolean, devicePath: string): Ending {
  if (errno === EPERM && aborted) {
    // §4.1: a signal during the driver's semaphore wait makes open() return EPERM.
    return {
      outcome: 'aborted',
      exitCode: ExitCode.Interrupted,
      message: 'Aborted while waiting for the card device; the adapter was not touched.',
      nextStep: 'Nothing to recover.',
    };
  }
  const e = explainErrno(errno, 'open');
  return {
    outcome: 'failed',
    exitCode: ExitCode.PreflightRefused,
    message: `The card device ${shown(devicePath)} could not be opened: ${e.name}.`,
    nextStep: e.action,
    error: {
      phase: 'opening',
      call: null,
      errno: e.errno,
      errnoName: e.name,
      meaning: e.meaning,
      action: e.action,
      hcall: null,
      adapterState: 'Not touched: the device was never opened.',
    },
  };
}

export function abortEnding(
  pass: PassName,
  completed: number,
  calls: number,
  recoverCommand: string,
): Ending {
  // The first download call erases the stored image (§4.2); before it, only the reset happened.
  const erased = pass === 'validate' || completed > 0;
  return {
    outcome: 'aborted',
    exitCode: ExitCode.Interrupted,
    message: `Aborted by the user during the ${pass}, after ${completed} of ${calls} calls. The adapter was reset${erased ? `; ${ERASED_NOW}` : '; no download call had been made, so its image was not erased'}.`,
    nextStep: erased ? `Flash again: ${recoverCommand} --yes` : 'Nothing to recover.',
  };
}

export interface ReloadFacts {
  readonly where: string;
  readonly timeoutMs: number;
  readonly imagePath: string;
  readonly before: CardSummary;
  readonly previousName: string;
}

export function reloadLostEnding(facts: ReloadFacts, disappeared: boolean): Ending {
  return {
    outcome: 'lost',
    exitCode: ExitCode.ReloadTimeout,
    message: `The image was flashed and validated, but the card at ${facts.where} did not come back within ${formatMs(facts.timeoutMs)}${disappeared ? '' : ' (it never disappeared)'}.`,
    nextStep:
      'Watch for it with `cxl-flasher status --watch`; check dmesg and the HMC. Do not flash again until it is back.',
  };
}

export function reloadSuccessEnding(
  facts: ReloadFacts,
  after: CardSummary,
  renumbered: boolean,
): Ending {
  const { before } = facts;
  const same = after.pslRevision === before.pslRevision;
  return {
    outcome: 'success',
    exitCode: ExitCode.Success,
    message: `Flashed and validated ${shown(facts.imagePath)} onto ${shown(after.name)}${renumbered ? ` (was ${shown(facts.previousName)})` : ''} at ${shown(after.locationCode ?? '?')}; PSL revision ${before.pslRevision ?? '?'} -> ${after.pslRevision ?? '?'}${same ? ' (unchanged: the new image may carry the same revision)' : ''}.`,
    nextStep:
      'Check the AFUs with `cxl-flasher status` and restart the applications that use them.',
    after,
  };
}

/** The state directory cannot hold the lock or the journal: refused before the device (exit 3). */
export function stateDirRefusal(problem: { message: string; fix: string }): {
  message: string;
  nextStep: string;
} {
  return {
    message: `${problem.message} Nothing was touched: the card device was not opened.`,
    nextStep: problem.fix,
  };
}

/**
 * The device is open but the journal could not record that the download starts: the first
 * download call erases the stored image (§4.2), and a crash after it must not look like an
 * attempt that never erased anything, so the attempt stops before that call.
 */
export function journalLostBeforeDownloadEnding(problem: { message: string; fix: string }): Ending {
  return {
    outcome: 'failed',
    exitCode: ExitCode.FlashFailed,
    message: `${problem.message} The journal could not record the start of the download, so the flash stopped before the first download call. Opening and closing the card device reset the adapter; its image was not erased.`,
    nextStep: `${problem.fix} Then flash again.`,
  };
}

/** Where an attempt was when an unexpected error ended it, and what that left behind. */
export interface CrashFacts {
  readonly error: unknown;
  /** the open was issued (the device may be open) */
  readonly openIssued: boolean;
  readonly phase: 'preflight' | 'open' | 'download' | 'validate' | 'reload';
  /** a download call was made, so the stored image may be erased */
  readonly erased: boolean;
  /** whether closing the device after the error succeeded (null: not tried) */
  readonly closed: boolean | null;
  readonly reload: ReloadFacts | null;
  readonly recoverCommand: string;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** An error nobody expected: say what it was and what it left behind, in the table's codes. */
export function crashEnding(facts: CrashFacts): Ending {
  const what = errorText(facts.error);
  if (!facts.openIssued) {
    return {
      outcome: 'failed',
      exitCode: ExitCode.PreflightRefused,
      message: `The flash stopped before the card device was opened: ${what}. The card device was not opened; the adapter was not touched.`,
      nextStep:
        'Fix the cause and flash again; `cxl-flasher doctor` checks the environment. If it persists, report it with the output of `cxl-flasher doctor --json`.',
    };
  }
  if (facts.phase === 'reload' && facts.reload) {
    return {
      ...reloadLostEnding(facts.reload, false),
      message: `The image was flashed and validated, but waiting for the card at ${shown(facts.reload.where)} to come back failed: ${what}.`,
    };
  }
  const closed =
    facts.closed === false
      ? 'Closing the card device failed as well; the driver resets the adapter when this process exits'
      : 'The card device was closed, which reset the adapter';
  return {
    outcome: 'failed',
    exitCode: ExitCode.FlashFailed,
    message: `The flash stopped on an unexpected error during the ${facts.phase}: ${what}. ${closed}${facts.erased ? `; ${ERASED_NOW}` : '; no download call had been made, so its image was not erased'}.`,
    nextStep: facts.erased
      ? `Run \`${facts.recoverCommand}\`, or flash a verified image again. If it persists, report it with the output of \`cxl-flasher doctor --json\`.`
      : 'Flash again; if it persists, report it with the output of `cxl-flasher doctor --json`.',
  };
}

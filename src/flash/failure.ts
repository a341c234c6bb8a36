/**
 * What a failed pass means: the journal outcome, the exit code (docs/architecture.md §4), and the words
 * for the error event. docs/kernel-contract.md §4.3/§4.4: any -1 from DOWNLOAD or VALIDATE has already
 * reset the adapter, and the download's first call had erased the stored image.
 */
import { explainErrno } from '../ioctl/errno.js';
import { HYPERVISOR_GAP_LIMIT_MS } from './call-timer.js';
import { ExitCode, type ExitCodeValue } from '../exit-codes.js';
import type { TerminalOutcome } from '../journal/records.js';
import type { ErrorDetails } from './events.js';
import type { PassName, PassResult } from './transfer.js';

/** The driver's line for the failed hcall, read from the kernel log (§4.3). */
export interface HcallFinding {
  readonly rc: number;
  readonly name: string;
  readonly meaning: string;
}

export interface FailureVerdict {
  readonly outcome: TerminalOutcome;
  readonly exitCode: ExitCodeValue;
  readonly error: ErrorDetails;
  readonly message: string;
  readonly nextStep: string;
}

const H_BAD_DATA_NAME = 'H_BAD_DATA';

/** What kept this process from making the next call in time, when it is known. */
export type GapCause = 'stopped';

/**
 * The words for a failure that followed a return-to-next-call gap over the hypervisor's limit:
 * it abandons the sequence and answers the next call with an error (H_STATE), so that code
 * alone says little. Null when the largest gap was within the limit.
 */
export function abandonedByGap(largestGapMs: number | null, cause: GapCause | null): string | null {
  if (largestGapMs === null || largestGapMs <= HYPERVISOR_GAP_LIMIT_MS) {
    // A stop that fell while a call was in flight: the answer waited, unseen by the gap figure.
    if (cause !== 'stopped') return null;
    return `This process was stopped or starved for more than ${HYPERVISOR_GAP_LIMIT_MS / 1000} s (SIGSTOP, Ctrl-Z sent from outside, a swapping machine) while a call was in the hypervisor: its answer waited, so the next call likely came too late and the hypervisor abandoned the sequence.`;
  }
  const seconds = (largestGapMs / 1000).toFixed(1);
  const why =
    cause === 'stopped'
      ? ': this process was stopped or starved (SIGSTOP, Ctrl-Z, a swapping machine) and made the next call too late'
      : '';
  return `The hypervisor abandoned the sequence because of a gap of ${seconds} s between calls (its limit is ${HYPERVISOR_GAP_LIMIT_MS / 1000} s)${why}.`;
}

const NO_VALID_IMAGE =
  'Reset by the driver; the download erased its image, so it has no valid image until a complete download and validate succeed.';
/** §4.4 [UNCONFIRMED]: whether a refused first call erased anything is not documented. */
const MAYBE_ERASED =
  'Reset by the driver. The first download call failed, and the hypervisor may have erased the stored image before refusing it: treat the adapter as having no valid image until a complete download and validate succeed.';

function adapterStateAfter(pass: PassName, call: number): string {
  return pass === 'download' && call === 0 ? MAYBE_ERASED : NO_VALID_IMAGE;
}

export function classifyPassFailure(
  pass: PassName,
  result: Exclude<PassResult, { kind: 'complete' } | { kind: 'stopped' }>,
  calls: number,
  hcall: HcallFinding | null,
  recoverCommand: string,
  gap: { readonly largestGapMs: number | null; readonly cause: GapCause | null } = {
    largestGapMs: null,
    cause: null,
  },
): FailureVerdict {
  const abandoned = abandonedByGap(gap.largestGapMs, gap.cause);
  const nth = (call: number): string => `call ${call + 1} of ${calls}`;
  const nextStep = `Run \`${recoverCommand}\`, or flash a verified image again: the adapter needs a complete download and validate.`;
  if (result.kind === 'failed') {
    const explained = explainErrno(result.errno, pass);
    const rejected = pass === 'validate' && hcall?.name === H_BAD_DATA_NAME;
    const returnedOdd = result.returned !== -1;
    const message = returnedOdd
      ? `The ${pass} ${nth(result.call)} returned ${result.returned}, which the driver never returns.`
      : rejected
        ? `The hypervisor rejected the image at validation (${nth(result.call)}): it does not match what was programmed, or its header version is not supported.`
        : `${abandoned ? `${abandoned} Then the ` : 'The '}${pass} ${nth(result.call)} failed with ${explained.name}${hcall ? ` (hypervisor ${hcall.name})` : ''}.`;
    return {
      outcome: rejected ? 'rejected' : 'failed',
      exitCode: rejected ? ExitCode.ValidationRejected : ExitCode.FlashFailed,
      message,
      nextStep,
      error: {
        phase: pass,
        call: result.call,
        errno: returnedOdd ? null : result.errno,
        errnoName: returnedOdd ? null : explained.name,
        meaning: returnedOdd
          ? 'The card driver answers only 0, 1 or -1 with an errno.'
          : explained.meaning,
        action: explained.action,
        hcall,
        adapterState: adapterStateAfter(pass, result.call),
      },
    };
  }
  const early = result.kind === 'early-done';
  const meaning = early
    ? `The hypervisor reported the ${pass} complete after ${nth(result.call)}, before the last byte: the image size or header disagrees with what the firmware expects.`
    : `The hypervisor asked for more data after the last byte (${nth(result.call)}): the image size or header disagrees with what the firmware expects.`;
  return {
    outcome: 'failed',
    exitCode: ExitCode.FlashFailed,
    message: meaning,
    nextStep,
    error: {
      phase: pass,
      call: result.call,
      errno: null,
      errnoName: null,
      meaning,
      action:
        'Check that the file is a complete image for this adapter (cxl-flasher inspect), then flash again.',
      hcall: null,
      adapterState:
        'Reset when the card device was closed; the download erased its image, so it has no valid image until a complete flash succeeds.',
    },
  };
}

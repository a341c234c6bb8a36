/**
 * The engine's event stream: the NDJSON objects `--json` prints, the attach socket carries, and
 * the store is built from (src/store.ts `applyEvent`). One object per line, each with `event`
 * and `time`. Documented in docs/events.md; change both together.
 */
import type { PreflightCheck } from '../hardware/types.js';

export const EVENT_SCHEMA_VERSION = 1;

/** Where the program is in the flow (docs/architecture.md §3). */
export type Phase =
  | 'starting'
  | 'recovery'
  | 'selectAdapter'
  | 'selectImage'
  | 'loadingImage'
  | 'review'
  | 'opening'
  | 'download'
  | 'validate'
  | 'reload'
  | 'summary';

/** What Ctrl-C does right now (docs/architecture.md §5); the screen always shows it. */
export type CtrlCAction = 'quit' | 'confirm-abort' | 'deferred' | 'exit';

export interface CtrlCPolicy {
  readonly action: CtrlCAction;
  readonly description: string;
}

/** A card as the picker and the summary show it. */
export interface CardSummary {
  readonly name: string;
  readonly locationCode: string | null;
  readonly vendorId: number | null;
  readonly deviceId: number | null;
  readonly subsystemVendorId: number | null;
  readonly subsystemId: number | null;
  readonly pslRevision: number | null;
  readonly caiaVersion: string | null;
  readonly afus: readonly {
    readonly name: string;
    readonly mode: string | null;
    readonly users: readonly {
      readonly pid: number;
      readonly command: string;
      readonly user: string;
    }[];
  }[];
  /** other processes holding this card's device node */
  readonly holders: readonly {
    readonly pid: number;
    readonly command: string;
    readonly user: string;
  }[];
  readonly lastFlash: {
    readonly time: string;
    /** the terminal outcome, `unfinished`, or `in-progress` while a live flasher runs it */
    readonly outcome: string;
    readonly journalId: string;
    /** only while it runs: the flasher's pid and phase, from the lock */
    readonly inProgress?: { readonly pid: number; readonly phase: string };
  } | null;
}

export type ChunkState = 'pending' | 'in-flight' | 'done' | 'failed';

export interface TransferSnapshot {
  readonly phase: 'download' | 'validate';
  /** calls completed in this pass */
  readonly call: number;
  readonly calls: number;
  readonly bytes: number;
  readonly totalBytes: number;
  readonly rateBytesPerSec: number | null;
  readonly etaSec: number | null;
  /** since the last call returned, while none is in flight; null while one is */
  readonly gapSinceReturnMs: number | null;
  /** duration of the call in flight, or null */
  readonly inFlightMs: number | null;
  readonly largestGapMs: number;
  readonly elapsedMs: number;
  /** one letter per call of this pass: p pending, f in flight, d done, x failed */
  readonly chunks: string;
}

export interface ReloadSnapshot {
  readonly state: 'closing' | 'waiting-for-disappearance' | 'waiting-for-return' | 'verifying';
  readonly elapsedMs: number;
  readonly deadlineMs: number;
  readonly message: string;
}

/** Current versus new, and what a flash would do (the `plan` event, after the preflight). */
export interface FlashPlan {
  readonly card: { readonly name: string; readonly locationCode: string | null };
  readonly current: {
    /** from the device tree */
    readonly pslRevision: number | null;
    /** the last successful flash of this card the journal records, or null */
    readonly image: {
      readonly path: string;
      readonly size: number;
      readonly sha256: string;
      readonly time: string;
      readonly journalId: string;
    } | null;
    /** the journal's image is what the card runs: nothing since, and the PSL revision agrees */
    readonly certain: boolean;
    /** why it is not certain, in words */
    readonly note: string | null;
  };
  readonly new: {
    readonly path: string;
    readonly size: number;
    readonly sha256: string;
    readonly format: string;
  };
  /** the journal says the card already runs this very image */
  readonly sameImage: boolean;
  /** what a flash would do, in order, in words */
  readonly steps: readonly string[];
}

export interface ErrorDetails {
  readonly phase: Phase;
  readonly call: number | null;
  readonly errno: number | null;
  readonly errnoName: string | null;
  readonly meaning: string;
  readonly action: string;
  readonly hcall: { readonly rc: number; readonly name: string; readonly meaning: string } | null;
  /** what the adapter is doing now, in words */
  readonly adapterState: string;
}

export type Outcome =
  | 'success'
  | 'failed'
  | 'aborted'
  | 'rejected'
  | 'lost'
  | 'refused'
  | 'bad-input'
  | 'nothing-to-do'
  /** refused only because the journal says the card already runs this image (exit 3) */
  | 'same-image'
  /** `flash --check`: every check passed; a flash would go ahead */
  | 'checked';

export interface ResultDetails {
  readonly outcome: Outcome;
  readonly exitCode: number;
  readonly journalId: string | null;
  readonly message: string;
  readonly nextStep: string;
  readonly durationsMs: Readonly<
    Partial<Record<'download' | 'validate' | 'reload' | 'total', number>>
  >;
  readonly largestGapMs: number | null;
  /** the 99th-percentile return-to-next-call gap (nearest rank); null before two calls */
  readonly gapP99Ms: number | null;
  readonly before: CardSummary | null;
  readonly after: CardSummary | null;
}

interface Base {
  readonly time: string;
}

export type FlashEvent = Base &
  (
    | {
        readonly event: 'start';
        readonly schema: number;
        readonly tool: { readonly name: string; readonly version: string };
        readonly command: string;
        readonly simulated: boolean;
        readonly pid: number;
      }
    | { readonly event: 'phase'; readonly phase: Phase; readonly ctrlC: CtrlCPolicy }
    | { readonly event: 'adapters'; readonly cards: readonly CardSummary[] }
    | { readonly event: 'adapter'; readonly card: CardSummary }
    | {
        readonly event: 'image';
        readonly path: string;
        readonly size: number;
        readonly sha256: string;
        readonly format: string;
        readonly callsPerPass: number;
        /** the full inspection report (src/image), for screens that show it */
        readonly report: unknown;
      }
    | { readonly event: 'hashing'; readonly bytes: number; readonly totalBytes: number }
    | { readonly event: 'preflight'; readonly checks: readonly PreflightCheck[] }
    | ({ readonly event: 'plan' } & FlashPlan)
    | ({ readonly event: 'progress' } & TransferSnapshot)
    | ({ readonly event: 'reload' } & ReloadSnapshot)
    | { readonly event: 'warning'; readonly code: string; readonly message: string }
    | ({ readonly event: 'error' } & ErrorDetails)
    | ({ readonly event: 'result' } & ResultDetails)
  );

export type FlashEventName = FlashEvent['event'];

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** An event before its timestamp is added. */
export type FlashEventInput = DistributiveOmit<FlashEvent, 'time'>;

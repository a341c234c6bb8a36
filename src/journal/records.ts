/**
 * The journal's record types (docs/architecture.md §6): one `start` record per attempt, `progress`
 * checkpoints, and exactly one terminal record. An attempt without a terminal record is
 * "unfinished" (the process died: crash, kill, power loss).
 */

export type FlashPhase = 'preflight' | 'open' | 'download' | 'validate' | 'reload';

export interface CardIdentityRecord {
  readonly name: string;
  readonly locationCode: string | null;
  readonly vendorId: number | null;
  readonly deviceId: number | null;
  readonly subsystemVendorId: number | null;
  readonly subsystemId: number | null;
  readonly pslRevision: number | null;
}

export interface StartRecord {
  readonly type: 'start';
  readonly id: string;
  readonly time: string;
  readonly pid: number;
  readonly user: string;
  readonly host: string;
  readonly sshClient: string | null;
  readonly tty: string | null;
  readonly toolVersion: string;
  readonly simulated: boolean;
  readonly card: CardIdentityRecord;
  readonly image: {
    readonly path: string;
    readonly size: number;
    readonly sha256: string;
    /** 128 when the file carried its own header and only the payload after it is flashed */
    readonly payloadOffset: number;
  };
  readonly callsPerPass: number;
}

export interface ProgressRecord {
  readonly type: 'progress';
  readonly id: string;
  readonly time: string;
  readonly phase: FlashPhase;
  /** calls completed in this phase */
  readonly call: number;
  readonly calls: number;
  readonly bytes: number;
  readonly largestGapMs: number;
}

export type TerminalOutcome = 'success' | 'failed' | 'aborted' | 'rejected' | 'lost';

export interface TerminalRecord {
  readonly type: TerminalOutcome;
  readonly id: string;
  readonly time: string;
  readonly phase: FlashPhase;
  /** the call that failed or the last one completed, 0-based; null before any call */
  readonly call: number | null;
  readonly errno: number | null;
  readonly errnoName: string | null;
  /** the hypervisor return code from the kernel log, when it was found */
  readonly hcall: { readonly rc: number; readonly name: string } | null;
  readonly largestGapMs: number;
  /** 99th-percentile gap; absent in lines written before 0.1.0 recorded it */
  readonly gapP99Ms?: number | null;
  readonly exitCode: number;
  readonly message: string;
  /** properties after the reload (success and lost) */
  readonly after?: CardIdentityRecord | null;
  readonly durationsMs?: Readonly<
    Partial<Record<'download' | 'validate' | 'reload' | 'total', number>>
  >;
}

export type JournalRecord = StartRecord | ProgressRecord | TerminalRecord;

export const TERMINAL_OUTCOMES: readonly TerminalOutcome[] = [
  'success',
  'failed',
  'aborted',
  'rejected',
  'lost',
];

export function isTerminal(record: JournalRecord): record is TerminalRecord {
  return (TERMINAL_OUTCOMES as readonly string[]).includes(record.type);
}

/** One attempt, reassembled from its records. */
export interface Attempt {
  readonly start: StartRecord;
  readonly lastProgress: ProgressRecord | null;
  readonly terminal: TerminalRecord | null;
}

/** The phase an unfinished attempt was last known to be in. */
export function lastKnownPhase(attempt: Attempt): FlashPhase {
  return attempt.terminal?.phase ?? attempt.lastProgress?.phase ?? 'preflight';
}

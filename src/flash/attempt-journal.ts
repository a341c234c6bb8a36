/**
 * An attempt's records in the journal (docs/architecture.md §6), and whether they reached the disk. Before
 * the card device is opened a record that did not is a refusal (the attempt would go unrecorded);
 * after it, the flash goes on and the user is told once that the journal stops there.
 */
import type { JournalWriter } from '../journal/journal.js';
import type {
  CardIdentityRecord,
  FlashPhase,
  JournalRecord,
  ProgressRecord,
  StartRecord,
  TerminalRecord,
} from '../journal/records.js';
import { stateDirProblem, type StateDirProblem } from '../journal/state-dir.js';
import { packageInfo } from '../version.js';
import type { Ending } from './endings.js';
import type { CardSummary } from './events.js';
import type { Operator } from './operator.js';
import type { FlashImage } from './services.js';

export function identityRecord(card: CardSummary): CardIdentityRecord {
  const { name, locationCode, vendorId, deviceId, subsystemVendorId, subsystemId, pslRevision } =
    card;
  return { name, locationCode, vendorId, deviceId, subsystemVendorId, subsystemId, pslRevision };
}

/** The start record: who flashes which image onto which card, before the device is opened. */
export function startRecord(
  id: string,
  operator: Operator,
  card: CardSummary,
  image: FlashImage,
  callsPerPass: number,
  simulated: boolean,
): StartRecord {
  const { path, size, sha256, payloadOffset } = image;
  return {
    type: 'start',
    id,
    time: new Date().toISOString(),
    pid: operator.pid,
    user: operator.user,
    host: operator.host,
    sshClient: operator.sshClient,
    tty: operator.tty,
    toolVersion: packageInfo.version,
    simulated,
    card: identityRecord(card),
    image: { path, size, sha256, payloadOffset },
    callsPerPass,
  };
}

/** A progress record: a phase entered (call 0), or a pass's checkpoint. */
export function progressRecord(
  id: string,
  phase: FlashPhase,
  at: {
    readonly call: number;
    readonly calls: number;
    readonly bytes: number;
    readonly largestGapMs: number;
  },
): ProgressRecord {
  return {
    type: 'progress',
    id,
    time: new Date().toISOString(),
    phase,
    call: at.call,
    calls: at.calls,
    bytes: at.bytes,
    largestGapMs: at.largestGapMs,
  };
}

/** The terminal record for an ending (docs/architecture.md §6: exactly one per attempt). */
export function terminalRecord(
  id: string,
  ending: Ending,
  where: {
    readonly phase: FlashPhase;
    readonly call: number | null;
    readonly largestGapMs: number;
    readonly gapP99Ms: number | null;
    readonly durationsMs: TerminalRecord['durationsMs'];
  },
): TerminalRecord {
  const { error } = ending;
  return {
    type: ending.outcome,
    id,
    time: new Date().toISOString(),
    phase: where.phase,
    call: where.call,
    errno: error?.errno ?? null,
    errnoName: error?.errnoName ?? null,
    hcall: error?.hcall ? { rc: error.hcall.rc, name: error.hcall.name } : null,
    largestGapMs: where.largestGapMs,
    gapP99Ms: where.gapP99Ms,
    exitCode: ending.exitCode,
    message: ending.message,
    after: ending.after ? identityRecord(ending.after) : null,
    durationsMs: where.durationsMs,
  };
}

export class AttemptJournal {
  /** off until the device is opened (a failure before is a refusal), done once said */
  private warning: 'off' | 'armed' | 'done' = 'off';

  constructor(
    private readonly writer: JournalWriter,
    private readonly stateDir: string,
    private readonly warn: (code: string, message: string) => void,
  ) {}

  /** Write the start record and wait for the disk; the problem when it is not there. */
  async start(record: StartRecord): Promise<StateDirProblem | null> {
    await this.writer.append(record);
    return this.problem();
  }

  /** Queue a record; resolves once it is written or failed (see `problem`), said or not. */
  append(record: JournalRecord, failure: 'warn' | 'silent' = 'warn'): Promise<void> {
    const written = this.writer.append(record);
    return failure === 'warn' ? written.then(() => this.noteFailure()) : written;
  }

  /** Why the journal takes no more records, or null while it does. */
  problem(): StateDirProblem | null {
    const failed = this.writer.failed;
    return failed ? stateDirProblem(this.stateDir, 'journal', this.writer.path, failed) : null;
  }

  /** The device is being opened: from here a failed write is a warning, not a refusal. */
  deviceOpening(): void {
    if (this.warning === 'off') this.warning = 'armed';
  }

  /** The result will explain the failure itself: no warning for it. */
  quiet(): void {
    this.warning = 'done';
  }

  /** Once the device is open a failed write does not stop the flash: say so, once. */
  noteFailure(): void {
    const problem = this.problem();
    if (!problem || this.warning !== 'armed') return;
    this.warning = 'done';
    this.warn(
      'journal-write',
      `${problem.message} The flash is not stopped for it, but the journal's record of this attempt ends here. ${problem.fix}`,
    );
  }

  /** Close the file; a write error was reported already. */
  close(): Promise<void> {
    return this.writer.close().catch(() => undefined);
  }
}

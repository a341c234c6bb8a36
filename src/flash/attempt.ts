/**
 * One attempt on an opened lock (docs/kernel-contract.md §4.8): journal it, open the card device, run the
 * download and validate passes, close, wait for the reload, and end with exactly one terminal
 * journal record and one result event. The device-thread steps are device-steps.ts; the end,
 * attempt-end.ts; this keeps the order, the phase and the journal's records.
 */
import { chunkPlan, type ChunkPlan } from '../image/chunk-plan.js';
import type { SyscallOutcome } from '../ioctl/card-device.js';
import type { CardInfo } from '../hardware/types.js';
import type { JournalWriter } from '../journal/journal.js';
import { newAttemptId } from '../journal/journal.js';
import type { FlasherLock } from '../journal/lock.js';
import type { FlashPhase } from '../journal/records.js';
import type { StateDirProblem } from '../journal/state-dir.js';
import { startAttachServer } from '../report/attach-server.js';
import { AttemptEnd } from './attempt-end.js';
import { AttemptJournal, progressRecord, startRecord } from './attempt-journal.js';
import { DeviceSteps } from './device-steps.js';
import { crashEnding, type Ending, type ReloadFacts } from './endings.js';
import type { EventBus } from './event-bus.js';
import type { CardSummary, ResultDetails } from './events.js';
import type { GapCause } from './failure.js';
import { watchGapCause } from './gap-cause.js';
import { reloadEnding, runReload } from './reload-step.js';
import type { EngineServices, FlashImage } from './services.js';
import type { SessionControl, SessionOptions } from './session-control.js';
import { shown } from '../terminal-text.js';

export type { SessionControl, SessionOptions } from './session-control.js';

export class FlashAttempt {
  private readonly id = newAttemptId();
  private readonly plan: ChunkPlan;
  private readonly started = performance.now();
  private readonly where: string;
  /** what the reload's ending and a crash during it say */
  private readonly reloadFacts: ReloadFacts;
  private phase: FlashPhase = 'preflight';
  private readonly device: DeviceSteps;
  /** the terminal record and the one result (attempt-end.ts) */
  private readonly ending: AttemptEnd;
  /** the start record is on disk */
  private recorded = false;
  private readonly journal: AttemptJournal;
  private gapCause: () => GapCause | null = () => null;

  constructor(
    private readonly services: EngineServices,
    private readonly control: SessionControl,
    private readonly card: CardInfo,
    private readonly image: FlashImage,
    private readonly options: SessionOptions,
    private readonly lock: FlasherLock,
    private readonly before: CardSummary,
    writer: JournalWriter,
  ) {
    this.journal = new AttemptJournal(writer, services.stateDir, (code, message) =>
      this.warn(code, message),
    );
    this.plan = chunkPlan(image.size);
    this.where = before.locationCode ?? card.name;
    this.reloadFacts = {
      where: this.where,
      timeoutMs: options.reloadTimeoutMs,
      imagePath: image.path,
      before,
      previousName: card.name,
    };
    this.device = new DeviceSteps(
      services,
      card,
      image,
      this.plan,
      {
        bus: control.bus,
        abort: control.abort,
        journal: this.journal,
        recoverCommand: this.recoverCommand,
        setPhase: (next, journal) => this.setPhase(next, journal),
        checkpoint: (pass, s) => void this.journal.append(progressRecord(this.id, pass, s)),
        reload: (closed) => this.reload(closed),
        gapCause: () => this.gapCause(),
        warn: (code, message) => this.warn(code, message),
      },
      options.tickMs,
    );
    this.ending = new AttemptEnd(this.id, this.started, before, control, this.journal, this.device);
  }

  private get bus(): EventBus {
    return this.control.bus;
  }

  private get recoverCommand(): string {
    return `cxl-flasher recover --card ${shown(this.where)}`;
  }

  /** Never rejects before its one result event: an unexpected error ends the attempt too. */
  async run(): Promise<ResultDetails> {
    try {
      return await this.steps();
    } catch (error) {
      // A step after the result failed (closing the attach socket): that result stands.
      if (this.ending.result) return this.ending.result;
      return this.endAfterCrash(error);
    }
  }

  private async steps(): Promise<ResultDetails> {
    // Whoever reads the journal meanwhile sees this attempt run, not die (status, history).
    this.lock.update({ attemptId: this.id });
    this.gapCause = watchGapCause(this.bus); // names a stop as the cause of a gap over 3 s
    // The journal holds the attempt before the device is opened (docs/architecture.md §6), or no open.
    const unrecorded = await this.journalStart();
    if (unrecorded) return this.refuse(unrecorded);
    await this.startAttach();
    const mark = this.services.markKernelLog();

    // Open only now: open + close alone resets the adapter (§4.5).
    await this.setPhase('open');
    const lost = this.journal.problem();
    if (lost) return this.refuse(lost);
    return this.end(await this.device.run(mark));
  }

  /** An error nobody expected: close what is open, journal it, one result (docs/architecture.md §4). */
  private async endAfterCrash(error: unknown): Promise<ResultDetails> {
    const closed = await this.device.closeAfterCrash();
    const phase = this.phase;
    return this.end(
      crashEnding({
        error,
        openIssued: this.device.openIssued,
        phase,
        erased: phase === 'download' || phase === 'validate' || phase === 'reload',
        closed,
        reload: phase === 'reload' ? this.reloadFacts : null,
        recoverCommand: this.recoverCommand,
      }),
    );
  }

  private async reload(closed: Promise<SyscallOutcome>): Promise<Ending> {
    // §4.6: validate returned 0; the AFUs are gone and the thread's close re-probes the adapter.
    await this.setPhase('reload');
    const started = performance.now();
    const { where, timeoutMs } = this.reloadFacts;
    const outcome = await runReload(closed, this.services, this.bus, this.card, where, timeoutMs);
    this.ending.durations.reload = performance.now() - started;
    return reloadEnding(this.reloadFacts, outcome, this.services);
  }

  private async setPhase(
    next: Exclude<FlashPhase, 'preflight'>,
    journal: 'await' | 'queue' = 'await',
  ): Promise<void> {
    this.phase = next;
    this.control.enterPhase(next === 'open' ? 'opening' : next);
    this.lock.update({ phase: next, attemptId: this.id });
    // The open and download records are checked by the caller: their failure ends the attempt.
    const calls = next === 'download' || next === 'validate' ? this.plan.calls.length : 0;
    const written = this.journal.append(
      progressRecord(this.id, next, {
        call: 0,
        calls,
        bytes: 0,
        largestGapMs: this.device.monitor?.largestGapMs ?? 0,
      }),
      next === 'open' || next === 'download' ? 'silent' : 'warn',
    );
    if (journal === 'await') await written;
  }

  /** Write the start record and wait until it is on disk; the problem when it is not. */
  private async journalStart(): Promise<StateDirProblem | null> {
    const problem = await this.journal.start(
      startRecord(
        this.id,
        this.options.operator,
        this.before,
        this.image,
        this.plan.calls.length,
        this.services.simulated,
      ),
    );
    this.recorded = problem === null;
    return problem;
  }

  /** The journal or lock could not record the attempt before the open: nothing was touched. */
  private refuse(problem: StateDirProblem): Promise<ResultDetails> {
    return this.ending.refuse(problem, this.recorded);
  }

  private async startAttach(): Promise<void> {
    try {
      this.ending.attach = await startAttachServer(this.services.runDir, this.card.name, this.bus);
    } catch (e) {
      this.warn(
        'attach-unavailable',
        `cxl-flasher attach will not work for this flash: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }

  private warn(code: string, message: string): void {
    this.bus.emit({ event: 'warning', code, message });
  }

  private end(ending: Ending): Promise<ResultDetails> {
    return this.ending.end(ending, this.phase);
  }
}

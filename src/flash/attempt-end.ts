/**
 * How an attempt ends (docs/architecture.md §6): one terminal record with the attempt's figures
 * (durations, gaps, the failing call), one result event, then it lets go of the device thread,
 * the journal and the attach socket. A refusal before the open writes no terminal record: the
 * card device was never opened.
 */
import { ExitCode } from '../exit-codes.js';
import type { FlashPhase } from '../journal/records.js';
import type { StateDirProblem } from '../journal/state-dir.js';
import type { AttachServer } from '../report/attach-server.js';
import { terminalRecord, type AttemptJournal } from './attempt-journal.js';
import { percentile } from './call-timer.js';
import type { DeviceSteps } from './device-steps.js';
import { stateDirRefusal, type Ending } from './endings.js';
import type { CardSummary, ResultDetails } from './events.js';
import type { SessionControl } from './session-control.js';

type Durations = { -readonly [K in keyof ResultDetails['durationsMs']]: number };

export class AttemptEnd {
  /** what the attempt times itself: the reload, and the total at the end */
  readonly durations: Durations = {};
  /** the socket `cxl-flasher attach` reads, once it listens */
  attach: AttachServer | null = null;
  private emitted: ResultDetails | null = null;

  constructor(
    private readonly id: string,
    private readonly started: number,
    private readonly before: CardSummary,
    private readonly control: SessionControl,
    private readonly journal: AttemptJournal,
    private readonly device: DeviceSteps,
  ) {}

  /** The result once it went out: a later failure (closing the socket) does not change it. */
  get result(): ResultDetails | null {
    return this.emitted;
  }

  /** The terminal record, then the result. */
  async end(ending: Ending, phase: FlashPhase): Promise<ResultDetails> {
    if (ending.error) this.control.bus.emit({ event: 'error', ...ending.error });
    this.durations.total = performance.now() - this.started;
    await this.journal.append(
      terminalRecord(this.id, ending, {
        phase,
        call: this.device.lastCall,
        largestGapMs: this.largestGapMs(),
        gapP99Ms: this.gapP99Ms(),
        durationsMs: this.allDurations(),
      }),
    );
    return this.finish({
      outcome: ending.outcome,
      exitCode: ending.exitCode,
      journalId: this.id,
      message: ending.message,
      nextStep: ending.nextStep,
      durationsMs: this.allDurations(),
      largestGapMs: this.largestGapMs(),
      gapP99Ms: this.gapP99Ms(),
      before: this.before,
      after: ending.after ?? null,
    });
  }

  /** The journal or lock could not record the attempt before the open: nothing was touched. */
  async refuse(problem: StateDirProblem, recorded: boolean): Promise<ResultDetails> {
    const { message, nextStep } = stateDirRefusal(problem);
    return this.finish({
      outcome: 'refused',
      exitCode: ExitCode.PreflightRefused,
      journalId: recorded ? this.id : null,
      message,
      nextStep,
      durationsMs: { total: performance.now() - this.started },
      largestGapMs: null,
      gapP99Ms: null,
      before: this.before,
      after: null,
    });
  }

  /** The one result event, then let go of the device thread, the journal and the socket. */
  private async finish(result: ResultDetails): Promise<ResultDetails> {
    this.emitted = result;
    // Every ending closed the device first, so the thread is ending (or dead) by now.
    await this.device.threadEnded();
    this.control.enterPhase('summary');
    this.control.bus.emit({ event: 'result', ...result });
    await this.journal.close();
    this.attach?.close(); // returns at once: a run's end never waits for an observer
    return result;
  }

  private largestGapMs(): number {
    return this.device.monitor?.largestGapMs ?? 0;
  }

  private gapP99Ms(): number | null {
    return percentile(this.device.monitor?.gaps ?? [], 99);
  }

  private allDurations(): Durations {
    return { ...this.device.monitor?.durationsMs, ...this.durations };
  }
}

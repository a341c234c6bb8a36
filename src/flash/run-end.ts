/**
 * How a run ends: with exactly one result event, and `finished` resolved with its exit code. Before
 * the device step the controller ends it (a quit, a refusal, bad input, an error) and every later
 * step refuses to run; once the device step has begun the attempt owns the result, a quit is its
 * abort, and an error it did not catch still gets one result (docs/architecture.md §5).
 */
import type { FlashStore } from '../store.js';
import { quitBeforeOpenEnding } from './endings.js';
import type { EventBus } from './event-bus.js';
import type { Phase, ResultDetails } from './events.js';
import { RunStoppedError } from './run-stopped.js';
import { deviceStepErrorResult, unjournaledResult } from './unjournaled-result.js';

/** What the end reads and moves: the controller's bus, store and phase. */
export interface EndingRun {
  readonly bus: EventBus;
  readonly store: FlashStore;
  phase(): Phase;
  enterPhase(phase: Phase): void;
}

export class RunEnd {
  readonly finished: Promise<number>;
  private resolveFinished: (code: number) => void = () => {};
  /** the attempt's abort: a confirmed Ctrl-C, or a quit before its open was issued */
  private readonly abort = new AbortController();
  /**
   * Aborted when the run ends before the device part (a quit, a refusal, bad input): the image
   * load stops, and every later step (preflight, flash) refuses to run (docs/architecture.md §5).
   */
  private readonly stop = new AbortController();
  /** the device step has begun: from here the attempt owns the device and the result */
  private deviceStepBegun = false;
  /** a result event went out (from the controller or from the attempt) */
  private resultEmitted = false;
  private ended = false;

  constructor(private readonly run: EndingRun) {
    run.bus.subscribe((event) => {
      if (event.event === 'result') this.resultEmitted = true;
    });
    this.finished = new Promise((resolve) => (this.resolveFinished = resolve));
  }

  get hasEnded(): boolean {
    return this.ended;
  }

  /** Aborted when the run ends before the device part: the image load listens to it. */
  get stopSignal(): AbortSignal {
    return this.stop.signal;
  }

  /** Steps after the run ended (a quit while the image loaded) must not run: they throw. */
  assertRunning(step: string): void {
    if (this.ended || this.stop.signal.aborted) throw new RunStoppedError(step);
  }

  /** Run the device step once; resolves with the exit code (also `finished`). */
  async deviceStep(step: (abort: AbortSignal) => Promise<ResultDetails>): Promise<number> {
    if (this.deviceStepBegun) throw new Error('flash() runs once per controller');
    this.deviceStepBegun = true;
    let exitCode: number;
    try {
      exitCode = (await step(this.abort.signal)).exitCode;
    } catch (error) {
      // The attempt ends every run with its own result; this is the net under it.
      exitCode = this.resultAfterError(error);
    }
    this.ended = true;
    this.resolveFinished(exitCode);
    return exitCode;
  }

  /** The device step failed outside the attempt: one result, whatever happened. */
  private resultAfterError(error: unknown): number {
    const emitted = this.run.store.getState().result;
    if (this.resultEmitted && emitted) return emitted.exitCode;
    const result = deviceStepErrorResult(this.run.phase(), error);
    this.run.enterPhase('summary');
    this.run.bus.emit({ event: 'result', ...result });
    return result.exitCode;
  }

  /** End before the device step with this result; after it began, the attempt's result stands. */
  beforeDeviceStep(result: ResultDetails): number {
    // After flash() began the attempt emits the one result; a second one here would contradict it.
    if (this.ended || this.deviceStepBegun)
      return this.run.store.getState().result?.exitCode ?? result.exitCode;
    this.ended = true;
    this.stop.abort(new RunStoppedError('the next step'));
    this.run.enterPhase('summary');
    this.run.bus.emit({ event: 'result', ...result });
    this.resolveFinished(result.exitCode);
    return result.exitCode;
  }

  /** Quit: before the device step with a result here, during it through the attempt's abort. */
  quit(): void {
    if (this.deviceStepBegun) {
      // The attempt has begun (journal, lock, attach): it checks this signal before issuing the
      // open, and a blocked open ends with EPERM when aborted (§4.1). It emits the result.
      if (!this.ended) this.abort.abort();
      return;
    }
    const q = quitBeforeOpenEnding();
    this.beforeDeviceStep(unjournaledResult(q.outcome, q.exitCode, q.message, q.nextStep));
  }

  /** A confirmed abort: the attempt stops after the call in flight. */
  abortAttempt(): void {
    this.abort.abort();
  }

  /** The summary is up and the user leaves: `finished` resolves with this code. */
  exit(exitCode: number): void {
    this.resolveFinished(exitCode);
  }
}

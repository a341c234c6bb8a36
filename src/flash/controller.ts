/**
 * The flash controller: owns every side effect of a run and publishes into the store through
 * its events (docs/architecture.md §2). The wizard calls its actions; `flash --yes` chains them
 * (runHeadlessFlash). It never imports React or Ink.
 */
import { ExitCode } from '../exit-codes.js';
import type { CardInfo, PreflightCheck } from '../hardware/types.js';
import { attemptsOf, describeJournalProblem, tryReadJournal } from '../journal/journal.js';
import type { Attempt } from '../journal/records.js';
import { journalUnreadableProblem } from '../journal/state-dir.js';
import { createFlashStore, publish, type FlashStore } from '../store.js';
import { packageInfo } from '../version.js';
import { chooseCard, summariseCardNow, summariseCards } from './card-choice.js';
import { ctrlCPolicy } from './ctrl-c.js';
import { quitBeforeOpenEnding } from './endings.js';
import { EventBus } from './event-bus.js';
import type { CardSummary, Outcome, Phase, ResultDetails } from './events.js';
import { hashingProgress, imageRefusal, publishImage } from './image-events.js';
import type { Operator } from './operator.js';
import { preflightChecks } from './preflight-checks.js';
import { RunStoppedError } from './run-stopped.js';
import type { EngineServices, FlashImage } from './services.js';
import { runFlashSession } from './session.js';
import { SignalResponses } from './signal-responses.js';
import type { SignalTarget } from './signals.js';
import {
  deviceStepErrorResult,
  errorBeforeDeviceStepResult,
  unjournaledResult,
} from './unjournaled-result.js';

export { SECOND_CTRL_C_MS } from './signal-responses.js';

export interface ControllerOptions {
  readonly command: string;
  /** the wizard asks before aborting; headless mode wants Ctrl-C twice */
  readonly interactive: boolean;
  readonly operator: Operator;
  readonly reloadTimeoutMs: number;
  readonly tickMs?: number;
  /** flash even the image the journal says the card already runs */
  readonly force?: boolean;
}

export class FlashController implements SignalTarget {
  readonly bus: EventBus;
  readonly store: FlashStore;
  readonly finished: Promise<number>;
  private resolveFinished: (code: number) => void = () => {};
  private phase: Phase = 'starting';
  /** the attempt's abort: a confirmed Ctrl-C, or a quit before its open was issued */
  private readonly abort = new AbortController();
  /**
   * Aborted when the run ends before the device part (a quit, a refusal, bad input): the image
   * load stops, and every later step (preflight, flash) refuses to run (docs/architecture.md §5).
   */
  private readonly stop = new AbortController();
  /** flash() has begun: from here the attempt owns the device and the result */
  private deviceStepBegun = false;
  private cards: CardInfo[] = [];
  private selected: CardInfo | null = null;
  private image: FlashImage | null = null;
  private attempts: Attempt[] = [];
  /** why the journal could not be read at the start, if it could not */
  private journalUnreadable: Error | null = null;
  /** a result event went out (from this controller or from the attempt) */
  private resultEmitted = false;
  private ended = false;
  /** Ctrl-C and the signals (signal-responses.ts) */
  private readonly signals: SignalResponses;

  constructor(
    private readonly services: EngineServices,
    private readonly options: ControllerOptions,
    store?: FlashStore,
  ) {
    this.store = store ?? createFlashStore();
    this.bus = new EventBus();
    this.bus.subscribe((event) => publish(this.store, event));
    this.bus.subscribe((event) => {
      if (event.event === 'result') this.resultEmitted = true;
    });
    this.finished = new Promise((resolve) => (this.resolveFinished = resolve));
    this.signals = new SignalResponses({
      bus: this.bus,
      store: this.store,
      interactive: options.interactive,
      phase: () => this.phase,
      abortAttempt: () => this.abort.abort(),
      quit: () => this.quit(),
      exit: (exitCode) => this.resolveFinished(exitCode),
    });
  }

  get currentPhase(): Phase {
    return this.phase;
  }

  get selectedCard(): CardInfo | null {
    return this.selected;
  }

  get loadedImage(): FlashImage | null {
    return this.image;
  }

  /** The journal's attempts as begin() read them, oldest first (empty if it was unreadable). */
  get journalAttempts(): readonly Attempt[] {
    return this.attempts;
  }

  /** The exit code of the result emitted (a RunStoppedError comes only after one). */
  get exitCode(): number {
    return this.store.getState().result?.exitCode ?? ExitCode.Interrupted;
  }

  /** Announce the run and read the journal. */
  begin(): void {
    this.bus.emit({
      event: 'start',
      schema: 1,
      tool: { name: packageInfo.name, version: packageInfo.version },
      command: this.options.command,
      simulated: this.services.simulated,
      pid: process.pid,
    });
    this.enterPhase('starting');
    // An unreadable journal is not a crash: the preflight refuses the flash and says why.
    const journal = tryReadJournal(this.services.stateDir);
    this.journalUnreadable = journal.unreadable;
    if (journal.unreadable) {
      const problem = journalUnreadableProblem(this.services.stateDir, journal.unreadable);
      this.bus.emit({ event: 'warning', code: 'journal', message: problem.message });
    }
    this.attempts = attemptsOf(journal.records);
    for (const problem of journal.problems) {
      this.bus.emit({
        event: 'warning',
        code: 'journal',
        message: describeJournalProblem(problem),
      });
    }
  }

  enterPhase(phase: Phase): void {
    // Once the result is out, only the summary: a step still winding down must not move on.
    if (this.ended && phase !== 'summary') return;
    this.phase = phase;
    this.bus.emit({ event: 'phase', phase, ctrlC: ctrlCPolicy(phase, this.options.interactive) });
  }

  /** Discover cards and their users; publish them for the picker. */
  discover(): CardSummary[] {
    this.cards = this.services.discoverCards();
    const cards = summariseCards(this.services, this.cards, this.attempts);
    this.bus.emit({ event: 'adapters', cards });
    return cards;
  }

  /** Choose a card by name or location code; with none given, the only card there is. */
  selectCard(spec: string | undefined): CardInfo {
    const card = chooseCard(this.services, this.cards, spec);
    this.selected = card;
    this.bus.emit({ event: 'adapter', card: summariseCardNow(this.services, card, this.attempts) });
    return card;
  }

  /** Load and check the image (exit 2 on bad input, nothing touched). */
  async loadImage(path: string, expectedSha256?: string): Promise<FlashImage> {
    this.assertRunning('loading the image');
    this.enterPhase('loadingImage');
    let image: FlashImage;
    try {
      image = await this.services.loadImage({
        path,
        expectedSha256,
        card: this.selected,
        signal: this.stop.signal,
        onProgress: hashingProgress(this.bus),
      });
    } catch (error) {
      // A quit while loading: the run has ended, whatever the load did after it.
      this.assertRunning('the image was loaded');
      throw error;
    }
    this.assertRunning('the image was loaded');
    this.image = image;
    publishImage(this.bus, image);
    const refusal = imageRefusal(image);
    if (refusal) throw refusal;
    return image;
  }

  /** The preflight list (docs/architecture.md §3.4); publishes it and the plan, and returns it. */
  preflight(): PreflightCheck[] {
    this.assertRunning('preflight');
    if (!this.selected || !this.image) throw new Error('preflight needs a card and an image');
    const { checks, plan } = preflightChecks({
      services: this.services,
      card: this.selected,
      image: this.image,
      attempts: this.attempts,
      journalUnreadable: this.journalUnreadable,
      force: this.options.force === true,
      reloadTimeoutMs: this.options.reloadTimeoutMs,
    });
    this.bus.emit({ event: 'preflight', checks });
    this.bus.emit({ event: 'plan', ...plan });
    this.enterPhase('review');
    return checks;
  }

  /** Run the device part; resolves with the exit code (also `finished`). */
  async flash(): Promise<number> {
    this.assertRunning('opening the card device');
    if (!this.selected || !this.image) throw new Error('flash needs a card and an image');
    if (this.deviceStepBegun) throw new Error('flash() runs once per controller');
    this.deviceStepBegun = true;
    let exitCode: number;
    try {
      const result = await runFlashSession(
        this.services,
        { bus: this.bus, enterPhase: (p) => this.enterPhase(p), abort: this.abort.signal },
        this.selected,
        this.image,
        {
          reloadTimeoutMs: this.options.reloadTimeoutMs,
          operator: this.options.operator,
          tickMs: this.options.tickMs,
        },
      );
      exitCode = result.exitCode;
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
    const emitted = this.store.getState().result;
    if (this.resultEmitted && emitted) return emitted.exitCode;
    const result = deviceStepErrorResult(this.phase, error);
    this.enterPhase('summary');
    this.bus.emit({ event: 'result', ...result });
    return result.exitCode;
  }

  /** End before the device part, with a result event (bad input, refusal, quit). */
  endEarly(outcome: Outcome, exitCode: number, message: string, nextStep: string): number {
    return this.endBeforeDeviceStep(unjournaledResult(outcome, exitCode, message, nextStep));
  }

  /** An unexpected error before the device step (a bug, a failing read): one result, exit 3. */
  endAfterError(error: unknown): number {
    return this.endBeforeDeviceStep(errorBeforeDeviceStepResult(error));
  }

  private endBeforeDeviceStep(result: ResultDetails): number {
    // After flash() began the attempt emits the one result; a second one here would contradict it.
    if (this.ended || this.deviceStepBegun)
      return this.store.getState().result?.exitCode ?? result.exitCode;
    this.ended = true;
    this.stop.abort(new RunStoppedError('the next step'));
    this.enterPhase('summary');
    this.bus.emit({ event: 'result', ...result });
    this.resolveFinished(result.exitCode);
    return result.exitCode;
  }

  // ---- Ctrl-C, signals and the terminal: signal-responses.ts (docs/architecture.md §5) ----

  /** Ctrl-C (key or SIGINT). */
  interrupt(): void {
    this.signals.interrupt();
  }

  /** The user confirmed: stop after the call in flight, then close (the adapter is reset). */
  confirmInterrupt(): void {
    this.signals.confirmInterrupt();
  }

  dismissInterrupt(): void {
    this.signals.dismissInterrupt();
  }

  /** SIGTERM: a confirmed Ctrl-C. */
  terminate(): void {
    this.signals.terminate();
  }

  /** SIGHUP: the terminal is gone; a transfer or reload keeps going. */
  hangup(): void {
    this.signals.hangup();
  }

  get hasLostTerminal(): boolean {
    return this.signals.hasLostTerminal;
  }

  /** Ctrl-Z / SIGTSTP: refused while the device is open. */
  refuseSuspend(): boolean {
    return this.signals.refuseSuspend();
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
    this.endEarly(q.outcome, q.exitCode, q.message, q.nextStep);
  }

  /** Steps after the run ended (a quit while the image loaded) must not run: they throw. */
  private assertRunning(step: string): void {
    if (this.ended || this.stop.signal.aborted) throw new RunStoppedError(step);
  }
}

/**
 * The flash controller: owns every side effect of a run and publishes into the store through
 * its events (docs/architecture.md §2). The wizard calls its actions; `flash --yes` chains them
 * (runHeadlessFlash). It never imports React or Ink. How the run ends is run-end.ts, how it
 * answers Ctrl-C and the signals signal-responses.ts; the device part is session.ts.
 */
import { ExitCode } from '../exit-codes.js';
import type { CardInfo, PreflightCheck } from '../hardware/types.js';
import type { Attempt } from '../journal/records.js';
import { createFlashStore, publish, type FlashStore } from '../store.js';
import { packageInfo } from '../version.js';
import { chooseCard, summariseCardNow, summariseCards } from './card-choice.js';
import { ctrlCPolicy } from './ctrl-c.js';
import { EventBus } from './event-bus.js';
import type { CardSummary, Outcome, Phase } from './events.js';
import { hashingProgress, imageRefusal, publishImage } from './image-events.js';
import { readJournalAtStart } from './journal-at-start.js';
import { preflightChecks } from './preflight-checks.js';
import { RunEnd } from './run-end.js';
import type { EngineServices, FlashImage } from './services.js';
import { runFlashSession } from './session.js';
import type { SessionOptions } from './session-control.js';
import { SignalResponses } from './signal-responses.js';
import type { SignalTarget } from './signals.js';
import { errorBeforeDeviceStepResult, unjournaledResult } from './unjournaled-result.js';

export { SECOND_CTRL_C_MS } from './signal-responses.js';

/** The session's options (the operator, the reload timeout, the tick) and the run's own. */
export interface ControllerOptions extends SessionOptions {
  readonly command: string;
  /** the wizard asks before aborting; headless mode wants Ctrl-C twice */
  readonly interactive: boolean;
  /** flash even the image the journal says the card already runs */
  readonly force?: boolean;
}

export class FlashController implements SignalTarget {
  readonly bus: EventBus;
  readonly store: FlashStore;
  readonly finished: Promise<number>;
  private phase: Phase = 'starting';
  /** the one result and `finished` (run-end.ts) */
  private readonly end: RunEnd;
  private cards: CardInfo[] = [];
  private selected: CardInfo | null = null;
  private image: FlashImage | null = null;
  private attempts: Attempt[] = [];
  /** why the journal could not be read at the start, if it could not */
  private journalUnreadable: Error | null = null;
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
    this.end = new RunEnd({
      bus: this.bus,
      store: this.store,
      phase: () => this.phase,
      enterPhase: (phase) => this.enterPhase(phase),
    });
    this.finished = this.end.finished;
    this.signals = new SignalResponses({
      bus: this.bus,
      store: this.store,
      interactive: options.interactive,
      phase: () => this.phase,
      abortAttempt: () => this.end.abortAttempt(),
      quit: () => this.end.quit(),
      exit: (exitCode) => this.end.exit(exitCode),
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
    const journal = readJournalAtStart(this.services.stateDir, (message) =>
      this.bus.emit({ event: 'warning', code: 'journal', message }),
    );
    this.journalUnreadable = journal.unreadable;
    this.attempts = journal.attempts;
  }

  enterPhase(phase: Phase): void {
    // Once the result is out, only the summary: a step still winding down must not move on.
    if (this.end.hasEnded && phase !== 'summary') return;
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
    this.end.assertRunning('loading the image');
    this.enterPhase('loadingImage');
    let image: FlashImage;
    try {
      image = await this.services.loadImage({
        path,
        expectedSha256,
        card: this.selected,
        signal: this.end.stopSignal,
        onProgress: hashingProgress(this.bus),
      });
    } catch (error) {
      // A quit while loading: the run has ended, whatever the load did after it.
      this.end.assertRunning('the image was loaded');
      throw error;
    }
    this.end.assertRunning('the image was loaded');
    this.image = image;
    publishImage(this.bus, image);
    const refusal = imageRefusal(image);
    if (refusal) throw refusal;
    return image;
  }

  /** The preflight list (docs/architecture.md §3.4); publishes it and the plan, and returns it. */
  preflight(): PreflightCheck[] {
    this.end.assertRunning('preflight');
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
    this.end.assertRunning('opening the card device');
    const { selected, image } = this;
    if (!selected || !image) throw new Error('flash needs a card and an image');
    return this.end.deviceStep((abort) =>
      runFlashSession(
        this.services,
        { bus: this.bus, enterPhase: (p) => this.enterPhase(p), abort },
        selected,
        image,
        this.options,
      ),
    );
  }

  /** End before the device part, with a result event (bad input, refusal, quit). */
  endEarly(outcome: Outcome, exitCode: number, message: string, nextStep: string): number {
    return this.end.beforeDeviceStep(unjournaledResult(outcome, exitCode, message, nextStep));
  }

  /** An unexpected error before the device step (a bug, a failing read): one result, exit 3. */
  endAfterError(error: unknown): number {
    return this.end.beforeDeviceStep(errorBeforeDeviceStepResult(error));
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

  /** Quit: before the device step with a result, during it through the attempt's abort. */
  quit(): void {
    this.end.quit();
  }
}

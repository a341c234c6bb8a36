/**
 * The wizard driver: the WizardActions the screens call, on top of the FlashController
 * (docs/architecture.md §3). It decides what comes next; the controller does the work. Every action is
 * idempotent for a repeated key or a re-fired Select.
 */
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ExitCode, UserFacingError } from '../exit-codes.js';
import { listDir, valueOr } from '../hardware/read.js';
import { analyseRecovery } from '../journal/recovery.js';
import type { RecoveryChoice, WizardActions } from './actions.js';
import type { FlashController } from './controller.js';
import { RunStoppedError } from './run-stopped.js';
import type { EngineServices } from './services.js';
import { shown } from '../terminal-text.js';

export interface WizardOptions {
  readonly cardSpec?: string;
  readonly imagePath?: string;
  readonly expectedSha256?: string;
  /** where to look for image files to offer (default: the working directory) */
  readonly imageSearchDirs?: readonly string[];
  /** extra candidates, e.g. the simulator's sample image */
  readonly extraCandidates?: readonly string[];
  /** `flash --yes` in a terminal: confirm by itself once every check passed or only warned */
  readonly autoConfirm?: boolean;
}

const IMAGE_EXTENSIONS = /\.(bin|bit|rbf|img|rpd|hex|mcs)$/i;

/** Image-looking regular files in some folders, for the path entry's completion. */
export function findImageCandidates(dirs: readonly string[]): string[] {
  const found: string[] = [];
  for (const dir of dirs) {
    for (const name of valueOr(listDir(dir), [])) {
      if (!IMAGE_EXTENSIONS.test(name)) continue;
      const path = join(dir, name);
      try {
        if (statSync(path).isFile()) found.push(path);
      } catch {
        // vanished or unreadable: not offered
      }
    }
  }
  return found;
}

export class Wizard implements WizardActions {
  private busy = false;

  constructor(
    private readonly controller: FlashController,
    private readonly services: EngineServices,
    private readonly options: WizardOptions,
  ) {}

  /** Start screen: the recovery verdict first when the last attempt on any card calls for it (docs/architecture.md §3.1). */
  start(): void {
    this.controller.begin();
    const verdict = analyseRecovery(this.controller.journalAttempts, {
      driverLoaded: this.services.driverLoaded(),
      cards: this.services.discoverCards(),
      lockHolder: this.services.lockHolder(),
      imageEvidence: this.services.imageEvidence,
    });
    this.controller.store.setState({ recovery: verdict });
    if (verdict.needsAttention) this.controller.enterPhase('recovery');
    else this.toPicker();
  }

  /** Straight to the picker (after `recover` has shown its verdict); begin() already ran. */
  startAtPicker(): void {
    this.toPicker();
  }

  chooseRecovery(choice: RecoveryChoice): void {
    const phase = this.controller.currentPhase;
    if (phase !== 'recovery' && phase !== 'starting') return;
    const verdict = this.controller.store.getState().recovery;
    if (choice === 'quit') {
      this.controller.quit();
      return;
    }
    if (choice === 'reflash' && verdict?.attempt && verdict.next.action === 'reflash') {
      const s = verdict.attempt.start;
      this.toPicker(s.card.locationCode ?? s.card.name, s.image.path, s.image.sha256);
      return;
    }
    this.toPicker();
  }

  private toPicker(
    cardSpec = this.options.cardSpec,
    imagePath = this.options.imagePath,
    sha = this.options.expectedSha256,
  ): void {
    const cards = this.controller.discover();
    this.controller.enterPhase('selectAdapter');
    const spec = cardSpec ?? (cards.length === 1 ? cards[0]?.name : undefined);
    const chosen = spec ? cards.find((c) => c.name === spec || c.locationCode === spec) : undefined;
    const busy =
      chosen && (chosen.holders.length > 0 || chosen.afus.some((a) => a.users.length > 0));
    // Auto-select only a card nobody uses: a busy card needs the explicit override on screen.
    if (chosen && !busy) this.pick(chosen.name, imagePath, sha);
  }

  selectAdapter(name: string, options: { override?: boolean } = {}): void {
    if (this.controller.currentPhase !== 'selectAdapter') return;
    const card = this.controller.store.getState().cards.find((c) => c.name === name);
    if (!card) return;
    const inUse = card.holders.length > 0 || card.afus.some((a) => a.users.length > 0);
    if (inUse && !options.override) {
      this.controller.store.setState({
        notice: `${shown(name)} is in use; choose it again with the override to flash it anyway.`,
      });
      return;
    }
    this.pick(name, this.options.imagePath, this.options.expectedSha256);
  }

  private pick(name: string, imagePath: string | undefined, sha: string | undefined): void {
    try {
      this.controller.selectCard(name);
    } catch (error) {
      this.fail(error);
      return;
    }
    this.controller.store.setState({
      imageCandidates: [
        ...(this.options.extraCandidates ?? []),
        ...findImageCandidates(this.options.imageSearchDirs ?? [process.cwd()]),
      ],
    });
    this.controller.enterPhase('selectImage');
    if (imagePath) this.load(imagePath, sha);
  }

  chooseImage(path: string): void {
    if (this.controller.currentPhase !== 'selectImage' || path.trim() === '') return;
    this.load(resolve(path.trim()), this.options.expectedSha256);
  }

  private load(path: string, sha: string | undefined): void {
    if (this.busy) return;
    this.busy = true;
    this.controller.store.setState({ notice: null });
    this.controller
      .loadImage(path, sha)
      .then(() => {
        const checks = this.controller.preflight();
        if (this.options.autoConfirm && checks.every((c) => c.status !== 'fail')) {
          setImmediate(() => this.confirmFlash()); // after this load has released `busy`
        }
      })
      .catch((error: unknown) => {
        // The user quit while the image loaded: the run has ended, nothing more to do.
        if (error instanceof RunStoppedError) return;
        // An unexpected error ends the run with a result (the summary says it), not a crash.
        if (!(error instanceof UserFacingError)) {
          this.controller.endAfterError(error);
          return;
        }
        // Bad input never ends the wizard: say what is wrong and let the user pick again.
        this.controller.store.setState({
          notice: `${error.message}${error.fix ? ` ${error.fix}` : ''}`,
        });
        this.controller.enterPhase('selectImage');
      })
      .finally(() => {
        this.busy = false;
      });
  }

  confirmFlash(): void {
    if (this.controller.currentPhase !== 'review' || this.busy) return;
    const failing = this.controller.store.getState().preflight.filter((c) => c.status === 'fail');
    if (failing.length > 0) {
      this.controller.store.setState({
        notice: `Preflight refused: ${failing.map((c) => c.label).join(', ')}.`,
      });
      return;
    }
    this.busy = true;
    void this.controller
      .flash()
      .catch((error: unknown) => {
        if (!(error instanceof RunStoppedError)) throw error; // a quit just before: nothing to do
      })
      .finally(() => {
        this.busy = false;
      });
  }

  back(): void {
    const phase = this.controller.currentPhase;
    if (this.busy) return;
    if (phase === 'review') this.controller.enterPhase('selectImage');
    else if (phase === 'selectImage') this.controller.enterPhase('selectAdapter');
  }

  interrupt(): void {
    this.controller.interrupt();
  }

  confirmInterrupt(): void {
    this.controller.confirmInterrupt();
  }

  dismissInterrupt(): void {
    this.controller.dismissInterrupt();
  }

  suspend(): void {
    this.controller.refuseSuspend();
  }

  exit(): void {
    if (this.controller.currentPhase === 'summary') this.controller.interrupt();
  }

  private fail(error: unknown): void {
    if (error instanceof UserFacingError) {
      this.controller.endEarly(
        error.exitCode === ExitCode.BadInput ? 'bad-input' : 'refused',
        error.exitCode,
        error.message,
        error.fix ?? '',
      );
      return;
    }
    throw error;
  }
}

/**
 * What the screens may ask of the engine. Components select state from the store and call these;
 * they never do I/O themselves (docs/architecture.md §2). The wizard driver implements them on top of the
 * FlashController; every action is idempotent where a repeated key or a Select re-fire could
 * call it twice (docs/terminal-notes.md §2).
 */
export type RecoveryChoice = 'reflash' | 'continue' | 'quit';

export interface WizardActions {
  /** first screen after a recovery verdict: re-flash the same image, go on to the picker, or quit */
  chooseRecovery(choice: RecoveryChoice): void;
  /** pick a card; `override` is the explicit choice to flash a card whose AFUs are in use */
  selectAdapter(name: string, options?: { override?: boolean }): void;
  /** the image path typed or chosen on the image screen */
  chooseImage(path: string): void;
  /** the user confirmed the flash on the review screen */
  confirmFlash(): void;
  /** Esc: one step back where that is safe (never during a transfer) */
  back(): void;
  /** Ctrl-C pressed (raw mode delivers it as a key) */
  interrupt(): void;
  /** the user confirmed the abort in the Ctrl-C dialog */
  confirmInterrupt(): void;
  /** the user kept going in the Ctrl-C dialog */
  dismissInterrupt(): void;
  /** Ctrl-Z pressed (raw mode delivers it as a key) */
  suspend(): void;
  /** q or Enter on the summary */
  exit(): void;
}

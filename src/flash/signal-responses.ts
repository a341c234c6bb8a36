/**
 * How a run answers Ctrl-C, SIGTERM, SIGHUP and Ctrl-Z (docs/architecture.md §5), by phase: quit, ask
 * before aborting (headless: a second Ctrl-C within SECOND_CTRL_C_MS), defer during the reload,
 * keep flashing when the terminal goes away, refuse to be stopped while the device is open.
 */
import { ExitCode } from '../exit-codes.js';
import type { FlashStore } from '../store.js';
import { ctrlCPolicy, TRANSFER_PHASES } from './ctrl-c.js';
import type { EventBus } from './event-bus.js';
import type { Phase } from './events.js';
import type { SignalTarget } from './signals.js';

/** Headless mode: a second Ctrl-C within this window confirms the abort. */
export const SECOND_CTRL_C_MS = 5000;

/** The run the responses act on, as its controller keeps it. */
export interface InterruptibleRun {
  readonly bus: EventBus;
  readonly store: FlashStore;
  /** the wizard asks before aborting; headless mode wants Ctrl-C twice */
  readonly interactive: boolean;
  phase(): Phase;
  /** stop the attempt after the call in flight; its close resets the adapter */
  abortAttempt(): void;
  /** end the run now (before the device step) or as soon as the attempt can */
  quit(): void;
  /** the summary is up: the program may exit with this code */
  exit(exitCode: number): void;
}

export class SignalResponses implements SignalTarget {
  private lastCtrlCAt = -Infinity;
  private terminalLost = false;

  constructor(private readonly run: InterruptibleRun) {}

  get hasLostTerminal(): boolean {
    return this.terminalLost;
  }

  /** Ctrl-C (key or SIGINT). */
  interrupt(): void {
    const policy = ctrlCPolicy(this.run.phase());
    switch (policy.action) {
      case 'quit':
        this.run.quit();
        return;
      case 'exit':
        this.run.exit(this.run.store.getState().result?.exitCode ?? ExitCode.Success);
        return;
      case 'deferred':
        this.notice(
          'Ctrl-C deferred: the kernel is reloading the adapter and cannot be interrupted.',
        );
        return;
      case 'confirm-abort':
        if (this.run.interactive) {
          if (this.run.store.getState().interruptPrompt) this.confirmInterrupt();
          else this.run.store.setState({ interruptPrompt: true });
          return;
        }
        if (performance.now() - this.lastCtrlCAt < SECOND_CTRL_C_MS) {
          this.confirmInterrupt();
          return;
        }
        this.lastCtrlCAt = performance.now();
        this.run.bus.emit({
          event: 'warning',
          code: 'interrupt',
          message: `${policy.description} Press Ctrl-C again within ${SECOND_CTRL_C_MS / 1000} s to abort.`,
        });
        return;
    }
  }

  /** The user confirmed: stop after the call in flight, then close (the adapter is reset). */
  confirmInterrupt(): void {
    const phase = this.run.phase();
    if (!TRANSFER_PHASES.includes(phase) || phase === 'reload') return;
    this.run.store.setState({ interruptPrompt: false });
    this.run.bus.emit({
      event: 'warning',
      code: 'aborting',
      message: 'Aborting after the call in flight returns; the adapter will be reset.',
    });
    this.run.abortAttempt();
  }

  dismissInterrupt(): void {
    this.run.store.setState({ interruptPrompt: false });
  }

  /** SIGTERM: a confirmed Ctrl-C. */
  terminate(): void {
    const action = ctrlCPolicy(this.run.phase()).action;
    if (action === 'confirm-abort') this.confirmInterrupt();
    else if (action === 'deferred')
      this.notice(
        'SIGTERM deferred: the kernel is reloading the adapter; the flash will end when it is back.',
      );
    else this.run.quit();
  }

  /** SIGHUP: the terminal is gone; a transfer or reload keeps going (docs/architecture.md §5). */
  hangup(): void {
    if (!TRANSFER_PHASES.includes(this.run.phase())) {
      this.run.quit();
      return;
    }
    if (this.terminalLost) return;
    this.terminalLost = true;
    this.run.bus.emit({
      event: 'warning',
      code: 'terminal-lost',
      message:
        'The terminal went away (SIGHUP); the flash continues. Follow it with `cxl-flasher attach`; the journal records the result.',
    });
  }

  /** Ctrl-Z / SIGTSTP: refused while the device is open. */
  refuseSuspend(): boolean {
    if (!TRANSFER_PHASES.includes(this.run.phase())) return false;
    this.notice(
      "Ctrl-Z is refused now: a stopped process misses the hypervisor's 3-second window and the download is abandoned.",
    );
    return true;
  }

  private notice(text: string): void {
    this.run.store.setState({ notice: text });
    this.run.bus.emit({ event: 'warning', code: 'notice', message: text });
  }
}

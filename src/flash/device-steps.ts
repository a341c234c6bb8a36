/**
 * An attempt's device-thread steps (docs/kernel-contract.md §4.8): start the thread, open the card device,
 * run the download and validate passes and hear how they settle, and close the device after a
 * failure or a crash (flash.c `device_close` resets the adapter). Each step says how the attempt
 * ends; the attempt records it. The thread issues every call and the close on its own: nothing
 * here stands between two calls.
 */
import type { ChunkPlan } from '../image/chunk-plan.js';
import type { SyscallOutcome } from '../ioctl/card-device.js';
import { explainErrno } from '../ioctl/errno.js';
import type { CardInfo } from '../hardware/types.js';
import type { AttemptJournal } from './attempt-journal.js';
import { DeviceThread } from './device-thread/device-thread.js';
import {
  abortEnding,
  journalLostBeforeDownloadEnding,
  openFailureEnding,
  quitBeforeOpenEnding,
  type Ending,
} from './endings.js';
import type { EventBus } from './event-bus.js';
import type { TransferSnapshot } from './events.js';
import { classifyPassFailure, type GapCause } from './failure.js';
import { PassMonitor } from './pass-monitor.js';
import type { EngineServices, FlashImage } from './services.js';
import { blockThisThread, mainThreadBlock } from './test-hooks.js';
import type { PassName } from './transfer.js';
import { kernelValidated, validateEvidence, withValidateNote } from './validate-outcome.js';

/** What the device steps need from their attempt. */
export interface DeviceStepsAttempt {
  readonly bus: EventBus;
  /** aborted when the user confirmed an abort, or quit before the open was issued */
  readonly abort: AbortSignal;
  readonly journal: AttemptJournal;
  readonly recoverCommand: string;
  /** enter a phase: the screen, the lock and a progress record (awaited, or queued) */
  setPhase(next: 'download' | 'validate', journal?: 'await' | 'queue'): Promise<void>;
  /** a pass's progress record */
  checkpoint(pass: PassName, snapshot: TransferSnapshot): void;
  /** the reload, after a validate that returned 0, on the thread's close */
  reload(closed: Promise<SyscallOutcome>): Promise<Ending>;
  /** what stopped the process during a gap over 3 s, if anything did */
  gapCause(): GapCause | null;
  warn(code: string, message: string): void;
}

export class DeviceSteps {
  private thread: DeviceThread | null = null;
  private passes: PassMonitor | null = null;
  /** open() was issued: from here the adapter may have been touched */
  private issuedOpen = false;
  /** close() was issued (after a failed pass, or by the reload) */
  private closeIssued = false;
  private failedCall: number | null = null;

  constructor(
    private readonly services: EngineServices,
    private readonly card: CardInfo,
    private readonly image: FlashImage,
    private readonly plan: ChunkPlan,
    private readonly attempt: DeviceStepsAttempt,
    private readonly tickMs?: number,
  ) {}

  /** The passes' monitor once the transfer began: progress, gaps and durations. */
  get monitor(): PassMonitor | null {
    return this.passes;
  }

  get openIssued(): boolean {
    return this.issuedOpen;
  }

  /** The call a pass failed on, for the terminal record; null when none did. */
  get lastCall(): number | null {
    return this.failedCall;
  }

  /** Start the thread and, unless the attempt was aborted meanwhile, open and transfer. */
  async run(mark: unknown): Promise<Ending> {
    const { abort } = this.attempt;
    const thread = abort.aborted ? null : await this.startThread();
    // A quit while the journal was written or the thread started: never issue the open.
    if (!thread || abort.aborted) {
      if (thread) await thread.close().catch(() => undefined); // nothing open: ends the thread
      return quitBeforeOpenEnding();
    }
    this.thread = thread;
    this.issuedOpen = true;
    this.attempt.journal.deviceOpening();
    // From here a stop is the device thread's: a signal ends a wait in open(), a flag the passes.
    abort.addEventListener('abort', () => thread.requestStop(), { once: true });
    return this.openAndTransfer(thread, mark);
  }

  /** After any ending: report the thread's end (it closed the device, or died). */
  async threadEnded(): Promise<void> {
    if (this.thread) this.services.deviceThreadEnded(await this.thread.whenEnded());
  }

  /** After an error nobody expected: close what is open; whether that worked, null if nothing was. */
  async closeAfterCrash(): Promise<boolean | null> {
    this.passes?.abandon();
    if (!this.thread || !this.issuedOpen || this.closeIssued) return null;
    try {
      return await this.closeAfterFailure(this.thread);
    } catch {
      return await this.closeLeftDescriptor(this.thread);
    }
  }

  private async startThread(): Promise<DeviceThread> {
    const local = this.services.localCardDevice;
    if (local) return DeviceThread.inThisThread(await local(this.card.devicePath), this.image);
    return DeviceThread.start(this.services.deviceSpec(this.card.devicePath), this.image);
  }

  private async openAndTransfer(thread: DeviceThread, mark: unknown): Promise<Ending> {
    const { attempt } = this;
    const opened = await thread.open();
    if (!opened.ok)
      return openFailureEnding(opened.errno, attempt.abort.aborted, this.card.devicePath);
    // The first download call erases the stored image: the journal must say so first.
    await attempt.setPhase('download');
    const unjournaled = attempt.journal.problem();
    if (unjournaled) {
      attempt.journal.quiet(); // the result says it all
      await this.closeAfterFailure(thread);
      return journalLostBeforeDownloadEnding(unjournaled);
    }
    const monitor = this.passMonitor();
    this.passes = monitor;
    const closed = thread.transfer(monitor);
    // The thread issues every call and the close on its own; this only hears about it.
    const settled = await Promise.race([monitor.settled, closed.then(() => monitor.settled)]);
    this.closeIssued = true;
    if (settled.kind === 'reload') return attempt.reload(closed);
    const { pass, result } = settled.failure;
    // flash.c: transfer_image took its success path (early 0, or only update_devicetree failed).
    // The thread waits for this word before it closes: the evidence must be read before the
    // close re-probes the card.
    const calls = this.plan.calls.length;
    const validated =
      pass === 'validate'
        ? kernelValidated(result, validateEvidence(this.services, mark, this.card, calls))
        : null;
    const close = thread.close();
    if (validated) return withValidateNote(await attempt.reload(close), validated);
    this.warnIfCloseFailed(await close);
    if (result.kind === 'stopped')
      return abortEnding(pass, result.completed, calls, attempt.recoverCommand);
    this.failedCall = result.call;
    const v = classifyPassFailure(
      pass,
      result,
      this.plan.calls.length,
      this.services.hcallSince(mark),
      attempt.recoverCommand,
      { largestGapMs: monitor.largestGapMs, cause: attempt.gapCause() },
    );
    return {
      outcome: v.outcome,
      exitCode: v.exitCode,
      message: v.message,
      nextStep: v.nextStep,
      error: v.error,
    };
  }

  private passMonitor(): PassMonitor {
    const block = mainThreadBlock(this.services.simulated);
    return new PassMonitor(
      this.plan,
      {
        emit: (e) => this.attempt.bus.emit(e),
        checkpoint: (pass, s) => this.attempt.checkpoint(pass, s),
        // The validate pass follows the download at once, in the thread; its record is queued.
        passStarting: (pass) => {
          if (pass === 'validate') void this.attempt.setPhase('validate', 'queue');
        },
        closing: () => {
          this.closeIssued = true;
        },
        afterCall: block
          ? (pass, call) => {
              if (pass === block.pass && call === block.call) blockThisThread(block.ms);
            }
          : undefined,
      },
      this.tickMs,
    );
  }

  private warnIfCloseFailed(closed: SyscallOutcome): void {
    if (!closed.ok)
      this.attempt.warn('close', `close failed with ${explainErrno(closed.errno, 'close').name}`);
  }

  /** Stop the thread's passes, then close: flash.c `device_close` resets the adapter. */
  private async closeAfterFailure(thread: DeviceThread): Promise<boolean> {
    this.closeIssued = true;
    thread.requestStop();
    const closed = await thread.close();
    this.warnIfCloseFailed(closed);
    return closed.ok;
  }

  /** The thread died with the kernel device open: close its descriptor from here (a reset). */
  private async closeLeftDescriptor(thread: DeviceThread): Promise<boolean> {
    const fd = thread.openDescriptor;
    if (fd === null) return false;
    const { systemLibc } = await import('../ioctl/libc.js');
    return (await systemLibc().close(fd)).result === 0;
  }
}

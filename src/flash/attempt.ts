/**
 * One attempt on an opened lock (kernel-abi.md §4.8): journal it, open the card device, run the
 * download and validate passes, close, wait for the reload, and end with exactly one terminal
 * journal record and one result event.
 */
import { chunkPlan, type ChunkPlan } from '../image/chunk-plan.js';
import type { CardDevice } from '../ioctl/card-device.js';
import { explainErrno } from '../ioctl/errno.js';
import type { CardInfo } from '../hardware/types.js';
import type { JournalWriter } from '../journal/journal.js';
import { newAttemptId } from '../journal/journal.js';
import type { FlasherLock } from '../journal/lock.js';
import type { CardIdentityRecord, FlashPhase } from '../journal/records.js';
import { startAttachServer, type AttachServer } from '../report/attach-server.js';
import { packageInfo } from '../version.js';
import { CallTimer, percentile } from './call-timer.js';
import { summariseCard } from './card-summary.js';
import {
  abortEnding,
  openFailureEnding,
  quitBeforeOpenEnding,
  reloadLostEnding,
  reloadSuccessEnding,
  type Ending,
} from './endings.js';
import type { EventBus } from './event-bus.js';
import type { CardSummary, Phase, ResultDetails } from './events.js';
import { classifyPassFailure } from './failure.js';
import type { Operator } from './operator.js';
import { ProgressTicker } from './progress-ticker.js';
import { runReload } from './reload-step.js';
import type { EngineServices, FlashImage } from './services.js';
import { runPass, type PassName, type PassResult } from './transfer.js';

export interface SessionControl {
  readonly bus: EventBus;
  enterPhase(phase: Phase): void;
  /** aborted when the user confirmed an abort, or quit before the open was issued */
  readonly abort: AbortSignal;
}

export interface SessionOptions {
  readonly reloadTimeoutMs: number;
  readonly operator: Operator;
  readonly tickMs?: number;
}

type Durations = { -readonly [K in keyof ResultDetails['durationsMs']]: number };

export function identityRecord(card: CardSummary): CardIdentityRecord {
  const { name, locationCode, vendorId, deviceId, subsystemVendorId, subsystemId, pslRevision } =
    card;
  return { name, locationCode, vendorId, deviceId, subsystemVendorId, subsystemId, pslRevision };
}

export class FlashAttempt {
  private readonly id = newAttemptId();
  private readonly plan: ChunkPlan;
  private readonly timer = new CallTimer();
  private readonly durations: Durations = {};
  private readonly started = performance.now();
  private readonly where: string;
  private phase: FlashPhase = 'preflight';
  private lastCall: number | null = null;
  private attach: AttachServer | null = null;

  constructor(
    private readonly services: EngineServices,
    private readonly control: SessionControl,
    private readonly card: CardInfo,
    private readonly image: FlashImage,
    private readonly options: SessionOptions,
    private readonly lock: FlasherLock,
    private readonly before: CardSummary,
    private readonly journal: JournalWriter,
  ) {
    this.plan = chunkPlan(image.size);
    this.where = before.locationCode ?? card.name;
  }

  private get bus(): EventBus {
    return this.control.bus;
  }

  private get recoverCommand(): string {
    return `cxl-flasher recover --card ${this.where}`;
  }

  async run(): Promise<ResultDetails> {
    await this.journalStart();
    await this.startAttach();
    const mark = this.services.markKernelLog();

    // Open only now: open + close alone resets the adapter (§4.5).
    await this.setPhase('open');
    const device = this.control.abort.aborted
      ? null
      : await this.services.openCardDevice(this.card.devicePath);
    // A quit while the journal was written or the device module loaded: never issue the open
    // (a blocked native open cannot be woken, and open + close alone resets the adapter, §4.5).
    if (!device || this.control.abort.aborted) return this.end(quitBeforeOpenEnding());
    const opened = await device.open({ signal: this.control.abort });
    if (!opened.ok)
      return this.end(
        openFailureEnding(opened.errno, this.control.abort.aborted, this.card.devicePath),
      );

    for (const pass of ['download', 'validate'] as const) {
      const result = await this.runOnePass(device, pass);
      if (result.kind === 'complete') continue;
      // §4.4/§4.5: the driver has reset the adapter; close resets it again and clears the token.
      const closed = await device.close();
      if (!closed.ok)
        this.warn('close', `close failed with ${explainErrno(closed.errno, 'close').name}`);
      if (result.kind === 'stopped')
        return this.end(
          abortEnding(pass, result.completed, this.plan.calls.length, this.recoverCommand),
        );
      this.lastCall = result.call;
      const v = classifyPassFailure(
        pass,
        result,
        this.plan.calls.length,
        this.services.hcallSince(mark),
        this.recoverCommand,
      );
      return this.end({
        outcome: v.outcome,
        exitCode: v.exitCode,
        message: v.message,
        nextStep: v.nextStep,
        error: v.error,
      });
    }
    return this.end(await this.reload(device));
  }

  private async runOnePass(device: CardDevice, pass: PassName): Promise<PassResult> {
    // The first download call erases the stored image: the journal must say so first.
    await this.setPhase(pass, pass === 'download' ? 'await' : 'queue');
    const started = performance.now();
    const ticker = new ProgressTicker(
      pass,
      this.plan,
      this.timer,
      {
        emit: (e) => this.bus.emit(e),
        checkpoint: (s) => {
          void this.journal.append({
            type: 'progress',
            id: this.id,
            time: new Date().toISOString(),
            phase: pass,
            call: s.call,
            calls: s.calls,
            bytes: s.bytes,
            largestGapMs: s.largestGapMs,
          });
        },
      },
      { tickMs: this.options.tickMs },
    );
    ticker.start();
    try {
      return await runPass(
        device,
        pass,
        this.image,
        this.plan,
        this.timer,
        ticker.hooks(() => this.control.abort.aborted),
      );
    } finally {
      const final = ticker.stop();
      this.lastCall = final.call > 0 ? final.call - 1 : null;
      this.durations[pass] = performance.now() - started;
    }
  }

  private async reload(device: CardDevice): Promise<Ending> {
    // §4.6: validate returned 0; the AFUs are gone and the close re-probes the adapter.
    await this.setPhase('reload');
    const started = performance.now();
    const timeoutMs = this.options.reloadTimeoutMs;
    const outcome = await runReload(
      device,
      this.services,
      this.bus,
      this.card,
      this.where,
      timeoutMs,
    );
    this.durations.reload = performance.now() - started;
    const facts = {
      where: this.where,
      timeoutMs,
      imagePath: this.image.path,
      before: this.before,
      previousName: this.card.name,
    };
    if (outcome.kind === 'timeout') return reloadLostEnding(facts, outcome.disappeared);
    return reloadSuccessEnding(
      facts,
      summariseCard(outcome.card, this.services.deviceUsers()),
      outcome.renumbered,
    );
  }

  private async setPhase(
    next: Exclude<FlashPhase, 'preflight'>,
    journal: 'await' | 'queue' = 'await',
  ): Promise<void> {
    this.phase = next;
    this.control.enterPhase(next === 'open' ? 'opening' : next);
    this.lock.update({ phase: next, attemptId: this.id });
    const written = this.journal.append({
      type: 'progress',
      id: this.id,
      time: new Date().toISOString(),
      phase: next,
      call: 0,
      calls: next === 'download' || next === 'validate' ? this.plan.calls.length : 0,
      bytes: 0,
      largestGapMs: this.timer.largestGapMs,
    });
    if (journal === 'await') await written;
  }

  private async journalStart(): Promise<void> {
    const op = this.options.operator;
    const { path, size, sha256, payloadOffset } = this.image;
    await this.journal.append({
      type: 'start',
      id: this.id,
      time: new Date().toISOString(),
      pid: op.pid,
      user: op.user,
      host: op.host,
      sshClient: op.sshClient,
      tty: op.tty,
      toolVersion: packageInfo.version,
      simulated: this.services.simulated,
      card: identityRecord(this.before),
      image: { path, size, sha256, payloadOffset },
      callsPerPass: this.plan.calls.length,
    });
  }

  private async startAttach(): Promise<void> {
    try {
      this.attach = await startAttachServer(this.services.runDir, this.card.name, this.bus);
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

  private async end(ending: Ending): Promise<ResultDetails> {
    if (ending.error) this.bus.emit({ event: 'error', ...ending.error });
    this.durations.total = performance.now() - this.started;
    await this.journal.append({
      type: ending.outcome,
      id: this.id,
      time: new Date().toISOString(),
      phase: this.phase,
      call: this.lastCall,
      errno: ending.error?.errno ?? null,
      errnoName: ending.error?.errnoName ?? null,
      hcall: ending.error?.hcall
        ? { rc: ending.error.hcall.rc, name: ending.error.hcall.name }
        : null,
      largestGapMs: this.timer.largestGapMs,
      gapP99Ms: percentile(this.timer.gaps, 99),
      exitCode: ending.exitCode,
      message: ending.message,
      after: ending.after ? identityRecord(ending.after) : null,
      durationsMs: { ...this.durations },
    });
    const result: ResultDetails = {
      outcome: ending.outcome,
      exitCode: ending.exitCode,
      journalId: this.id,
      message: ending.message,
      nextStep: ending.nextStep,
      durationsMs: { ...this.durations },
      largestGapMs: this.timer.largestGapMs,
      gapP99Ms: percentile(this.timer.gaps, 99),
      before: this.before,
      after: ending.after ?? null,
    };
    this.control.enterPhase('summary');
    this.bus.emit({ event: 'result', ...result });
    try {
      await this.journal.close();
    } catch (e) {
      this.warn('journal-write', `The journal could not be written: ${String(e)}`);
    }
    await this.attach?.close();
    return result;
  }
}

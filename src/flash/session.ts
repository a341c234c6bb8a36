/**
 * The part of a flash that touches the adapter (kernel-abi.md §4.8): take the lock, journal the
 * attempt, open the card device, download, validate, close, wait for the reload, verify. It
 * always ends with exactly one terminal journal record and one result.
 */
import { chunkPlan } from '../image/chunk-plan.js';
import { explainErrno, EPERM } from '../ioctl/errno.js';
import type { CardDevice } from '../ioctl/card-device.js';
import { systemLibc } from '../ioctl/libc.js';
import type { CardInfo } from '../hardware/types.js';
import { ExitCode, type ExitCodeValue } from '../exit-codes.js';
import { JournalWriter, newAttemptId } from '../journal/journal.js';
import { acquireLock, type FlasherLock } from '../journal/lock.js';
import type { CardIdentityRecord, FlashPhase, TerminalOutcome } from '../journal/records.js';
import { startAttachServer, type AttachServer } from '../report/attach-server.js';
import { formatMs } from '../report/format.js';
import { packageInfo } from '../version.js';
import { CallTimer } from './call-timer.js';
import { summariseCard } from './card-summary.js';
import type { EventBus } from './event-bus.js';
import type { CardSummary, ErrorDetails, Phase, ResultDetails } from './events.js';
import { classifyPassFailure } from './failure.js';
import type { Operator } from './operator.js';
import { ProgressTicker } from './progress-ticker.js';
import type { EngineServices, FlashImage } from './services.js';
import { runPass, type PassName, type PassResult } from './transfer.js';

export interface SessionControl {
  readonly bus: EventBus;
  enterPhase(phase: Phase): void;
  /** aborted when the user confirmed an abort */
  readonly abort: AbortSignal;
}

export interface SessionOptions {
  readonly reloadTimeoutMs: number;
  readonly operator: Operator;
  readonly tickMs?: number;
}

type Durations = Partial<Record<'download' | 'validate' | 'reload' | 'total', number>>;

function identityRecord(card: CardSummary): CardIdentityRecord {
  return {
    name: card.name,
    locationCode: card.locationCode,
    vendorId: card.vendorId,
    deviceId: card.deviceId,
    subsystemVendorId: card.subsystemVendorId,
    subsystemId: card.subsystemId,
    pslRevision: card.pslRevision,
  };
}

/** Runs the whole device part; resolves with the result it also emitted. */
export async function runFlashSession(
  services: EngineServices,
  control: SessionControl,
  card: CardInfo,
  image: FlashImage,
  options: SessionOptions,
): Promise<ResultDetails> {
  const before = summariseCard(card, services.deviceUsers());
  const started = performance.now();
  const durations: Durations = {};
  const finish = (result: Omit<ResultDetails, 'durationsMs' | 'before'>): ResultDetails => {
    durations.total = performance.now() - started;
    const full: ResultDetails = { ...result, before, durationsMs: { ...durations } };
    control.bus.emit({ event: 'result', ...full });
    return full;
  };

  const op = options.operator;
  const locked = acquireLock(services.stateDir, systemLibc(), {
    pid: op.pid,
    user: op.user,
    host: op.host,
    tty: op.tty,
    sshClient: op.sshClient,
    card: card.name,
    phase: 'preflight',
    startedAt: new Date().toISOString(),
    attemptId: null,
  });
  if (!locked.acquired) {
    const h = locked.holder;
    const who = h
      ? `pid ${h.pid} (${h.user}@${h.host}${h.sshClient ? ` from ${h.sshClient.split(' ')[0]}` : ''}${h.tty ? ` on ${h.tty}` : ''}), flashing ${h.card ?? 'a card'}, phase ${h.phase}, since ${h.startedAt}`
      : 'another process (its details are unreadable)';
    return finish({
      outcome: 'refused',
      exitCode: ExitCode.PreflightRefused,
      journalId: null,
      message: `Another cxl-flasher holds the lock ${locked.path}: ${who}.`,
      nextStep: `Wait for it to finish, or watch it with \`cxl-flasher attach --card ${h?.card ?? card.name}\`.`,
      largestGapMs: null,
      after: null,
    });
  }
  const lock = locked.lock;
  try {
    return await runLocked(
      services,
      control,
      card,
      image,
      options,
      lock,
      before,
      durations,
      finish,
    );
  } finally {
    lock.release();
  }
}

async function runLocked(
  services: EngineServices,
  control: SessionControl,
  card: CardInfo,
  image: FlashImage,
  options: SessionOptions,
  lock: FlasherLock,
  before: CardSummary,
  durations: Durations,
  finish: (r: Omit<ResultDetails, 'durationsMs' | 'before'>) => ResultDetails,
): Promise<ResultDetails> {
  const { bus } = control;
  const plan = chunkPlan(image.size);
  const timer = new CallTimer();
  const journal = await JournalWriter.open(services.stateDir);
  const id = newAttemptId();
  const op = options.operator;
  const recoverCommand = `cxl-flasher recover --card ${before.locationCode ?? card.name}`;
  let attach: AttachServer | null = null;
  let device: CardDevice | null = null;
  let phase: FlashPhase = 'preflight';
  let lastCall: number | null = null;

  const setPhase = (
    next: Exclude<FlashPhase, 'preflight'>,
    journalIt: 'await' | 'queue' = 'await',
  ): Promise<void> => {
    phase = next;
    control.enterPhase(next === 'open' ? 'opening' : next);
    lock.update({ phase: next, attemptId: id });
    const record = {
      type: 'progress' as const,
      id,
      time: new Date().toISOString(),
      phase: next,
      call: 0,
      calls: next === 'download' || next === 'validate' ? plan.calls.length : 0,
      bytes: 0,
      largestGapMs: timer.largestGapMs,
    };
    const written = journal.append(record);
    return journalIt === 'await' ? written : Promise.resolve();
  };

  const end = async (
    outcome: TerminalOutcome,
    exitCode: ExitCodeValue,
    message: string,
    nextStep: string,
    error: ErrorDetails | null,
    after: CardSummary | null,
  ): Promise<ResultDetails> => {
    if (error) bus.emit({ event: 'error', ...error });
    await journal.append({
      type: outcome,
      id,
      time: new Date().toISOString(),
      phase,
      call: lastCall,
      errno: error?.errno ?? null,
      errnoName: error?.errnoName ?? null,
      hcall: error?.hcall ? { rc: error.hcall.rc, name: error.hcall.name } : null,
      largestGapMs: timer.largestGapMs,
      exitCode,
      message,
      after: after ? identityRecord(after) : null,
      durationsMs: { ...durations },
    });
    control.enterPhase('summary');
    const result = finish({
      outcome,
      exitCode,
      journalId: id,
      message,
      nextStep,
      largestGapMs: timer.largestGapMs,
      after,
    });
    try {
      await journal.close();
    } catch (e) {
      bus.emit({
        event: 'warning',
        code: 'journal-write',
        message: `The journal could not be written: ${String(e)}`,
      });
    }
    await attach?.close();
    return result;
  };

  await journal.append({
    type: 'start',
    id,
    time: new Date().toISOString(),
    pid: op.pid,
    user: op.user,
    host: op.host,
    sshClient: op.sshClient,
    tty: op.tty,
    toolVersion: packageInfo.version,
    simulated: services.simulated,
    card: identityRecord(before),
    image: {
      path: image.path,
      size: image.size,
      sha256: image.sha256,
      payloadOffset: image.payloadOffset,
    },
    callsPerPass: plan.calls.length,
  });
  try {
    attach = await startAttachServer(services.runDir, card.name, bus);
  } catch (e) {
    bus.emit({
      event: 'warning',
      code: 'attach-unavailable',
      message: `cxl-flasher attach will not work for this flash: ${e instanceof Error ? e.message : String(e)}`,
    });
  }
  const mark = services.markKernelLog();

  // Open only now: open + close alone resets the adapter (§4.5).
  await setPhase('open');
  device = await services.openCardDevice(card.devicePath);
  const opened = await device.open({ signal: control.abort });
  if (!opened.ok) {
    const aborted = opened.errno === EPERM && control.abort.aborted;
    const e = explainErrno(opened.errno, 'open');
    return end(
      aborted ? 'aborted' : 'failed',
      aborted ? ExitCode.Interrupted : ExitCode.PreflightRefused,
      aborted
        ? 'Aborted while waiting for the card device; the adapter was not touched.'
        : `The card device ${card.devicePath} could not be opened: ${e.name}.`,
      aborted ? 'Nothing to recover.' : e.action,
      aborted
        ? null
        : {
            phase: 'opening',
            call: null,
            errno: e.errno,
            errnoName: e.name,
            meaning: e.meaning,
            action: e.action,
            hcall: null,
            adapterState: 'Not touched: the device was never opened.',
          },
      null,
    );
  }

  const closeAfterFailure = async (): Promise<void> => {
    // §4.4/§4.5: the driver has reset the adapter; close resets it again and clears the token.
    const closed = await device?.close();
    if (closed && !closed.ok)
      bus.emit({
        event: 'warning',
        code: 'close',
        message: `close failed with ${explainErrno(closed.errno, 'close').name}`,
      });
  };

  for (const pass of ['download', 'validate'] as const satisfies readonly PassName[]) {
    // The first download call erases the stored image: make sure the journal says so first.
    await setPhase(pass, pass === 'download' ? 'await' : 'queue');
    const passStarted = performance.now();
    const ticker = new ProgressTicker(
      pass,
      plan,
      timer,
      {
        emit: (e) => bus.emit(e),
        checkpoint: (s) => {
          void journal.append({
            type: 'progress',
            id,
            time: new Date().toISOString(),
            phase: pass,
            call: s.call,
            calls: s.calls,
            bytes: s.bytes,
            largestGapMs: s.largestGapMs,
          });
        },
      },
      { tickMs: options.tickMs },
    );
    ticker.start();
    let result: PassResult;
    try {
      result = await runPass(
        device,
        pass,
        image,
        plan,
        timer,
        ticker.hooks(() => control.abort.aborted),
      );
    } finally {
      const final = ticker.stop();
      lastCall = final.call > 0 ? final.call - 1 : null;
      durations[pass] = performance.now() - passStarted;
    }
    if (result.kind === 'complete') continue;
    await closeAfterFailure();
    if (result.kind === 'stopped') {
      const erased = pass === 'validate' || result.completed > 0;
      return end(
        'aborted',
        ExitCode.Interrupted,
        `Aborted by the user during the ${pass}, after ${result.completed} of ${plan.calls.length} calls. The adapter was reset${erased ? ' and has no valid image until a complete flash succeeds' : '; no download call had been made, so its image was not erased'}.`,
        erased ? `Flash again: ${recoverCommand}` : 'Nothing to recover.',
        null,
        null,
      );
    }
    lastCall = result.call;
    const verdict = classifyPassFailure(
      pass,
      result,
      plan.calls.length,
      services.hcallSince(mark),
      recoverCommand,
    );
    return end(
      verdict.outcome,
      verdict.exitCode,
      verdict.message,
      verdict.nextStep,
      verdict.error,
      null,
    );
  }

  // §4.6: validate returned 0; the AFUs are gone and the close re-probes the adapter.
  await setPhase('reload');
  const reloadStarted = performance.now();
  const reloadTick = setInterval(() => {
    bus.emit({
      event: 'reload',
      state: reloadState,
      elapsedMs: performance.now() - reloadStarted,
      deadlineMs: options.reloadTimeoutMs,
      message: reloadMessage(),
    });
  }, 250);
  reloadTick.unref();
  let reloadState: 'closing' | 'waiting-for-disappearance' | 'waiting-for-return' | 'verifying' =
    'closing';
  const reloadMessage = (): string =>
    ({
      closing:
        'Closing the card device: the kernel removes the AFUs, resets the adapter and re-probes it; this call can block for minutes.',
      'waiting-for-disappearance': 'Waiting for the old card to go away.',
      'waiting-for-return': `Waiting for the card at ${before.locationCode ?? card.name} to come back (its number may change).`,
      verifying: 'The card is back; reading its new properties.',
    })[reloadState];
  try {
    bus.emit({
      event: 'reload',
      state: reloadState,
      elapsedMs: 0,
      deadlineMs: options.reloadTimeoutMs,
      message: reloadMessage(),
    });
    const closed = await device.close();
    if (!closed.ok)
      bus.emit({
        event: 'warning',
        code: 'close',
        message: `close after validation failed with ${explainErrno(closed.errno, 'close').name}; waiting for the reload anyway`,
      });
    const remaining = Math.max(0, options.reloadTimeoutMs - (performance.now() - reloadStarted));
    const outcome = await services.waitForReload({
      card,
      deadlineMs: remaining,
      onState: (s) => {
        reloadState = s;
        bus.emit({
          event: 'reload',
          state: s,
          elapsedMs: performance.now() - reloadStarted,
          deadlineMs: options.reloadTimeoutMs,
          message: reloadMessage(),
        });
      },
    });
    durations.reload = performance.now() - reloadStarted;
    if (outcome.kind === 'timeout') {
      return end(
        'lost',
        ExitCode.ReloadTimeout,
        `The image was flashed and validated, but the card at ${before.locationCode ?? card.name} did not come back within ${formatMs(options.reloadTimeoutMs)}${outcome.disappeared ? '' : ' (it never disappeared)'}.`,
        'Watch for it with `cxl-flasher status --watch`; check dmesg and the HMC. Do not flash again until it is back.',
        null,
        null,
      );
    }
    const after = summariseCard(outcome.card, services.deviceUsers());
    const changed = after.pslRevision !== before.pslRevision;
    return end(
      'success',
      ExitCode.Success,
      `Flashed and validated ${image.path} onto ${after.name}${outcome.renumbered ? ` (was ${card.name})` : ''} at ${after.locationCode ?? '?'}; PSL revision ${before.pslRevision ?? '?'} -> ${after.pslRevision ?? '?'}${changed ? '' : ' (unchanged: the new image may carry the same revision)'}.`,
      'Check the AFUs with `cxl-flasher status` and restart the applications that use them.',
      null,
      after,
    );
  } finally {
    clearInterval(reloadTick);
  }
}

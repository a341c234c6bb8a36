/**
 * The main thread's handle on the device thread (device-worker.ts): start it, ask it to open,
 * to transfer (both passes, then the close) or to close, ask it to stop, and hear what it did.
 * Nothing here is on the path between two calls: the thread issues them on its own.
 *
 * A stop while the thread waits in `open()` is a signal aimed at that thread, repeated until the
 * open returns (the first one may arrive just before the thread enters the wait): flash.c
 * `device_open` then answers EPERM and no device is opened.
 */
import type { CardDevice, SyscallOutcome } from '../../ioctl/card-device.js';
import type { PassName, PassResult } from '../transfer.js';
import type { CallLog, CallLogReader } from './call-log.js';
import {
  CONTROL_STOP,
  type DeviceSpec,
  type FromDeviceThread,
  type ToDeviceThread,
} from './protocol.js';
import {
  sessionInThisThread,
  startWorker,
  type DeviceImage,
  type ThreadParts,
  type ThreadPort,
} from './thread-port.js';

export type { DeviceImage } from './thread-port.js';

/**
 * What the engine hears of a transfer. The calls come from the call log, read when the listener
 * calls `readCalls` (each tick) and before a pass's end: all of them, in order, late by at most
 * a tick.
 */
export interface TransferListener extends CallLogReader {
  /** `at`: when the pass began in the thread; `readCalls` brings the calls up to date */
  passStarted(pass: PassName, at: number, readCalls: () => void): void;
  passEnded(pass: PassName, result: PassResult, gaps: readonly number[]): void;
  /** the close was issued; `reload` after a complete validate */
  closing(reload: boolean): void;
}

/** The device thread stopped without saying why (a crash of the thread itself). */
export class DeviceThreadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeviceThreadError';
  }
}

const RESIGNAL_MS = 100;

type Waiter = { resolve(outcome: SyscallOutcome): void; reject(error: Error): void };

export class DeviceThread {
  private tid: number | null = null;
  private fd: number | null = null;
  private opening: Waiter | null = null;
  private closing: Waiter | null = null;
  private listener: TransferListener | null = null;
  /** the pass whose calls the log is being read for */
  private pass: PassName | null = null;
  private resignal: NodeJS.Timeout | null = null;
  private failure: Error | null = null;
  /** what the close answered, once the thread closed */
  private closedWith: SyscallOutcome | null = null;
  private readonly ended: Promise<readonly string[]>;
  private endedWith: (faults: readonly string[]) => void = () => {};

  private readonly worker: ThreadPort;
  private readonly control: Int32Array;
  private readonly log: CallLog;

  private constructor(
    parts: ThreadParts,
    readonly spec: DeviceSpec,
    private readonly signalThread: (tid: number) => boolean,
  ) {
    ({ port: this.worker, control: this.control, log: this.log } = parts);
    this.ended = new Promise((resolve) => (this.endedWith = resolve));
    this.worker.on('message', (message: FromDeviceThread) => this.receive(message));
    this.worker.on('error', (error) => this.died(error.message));
    this.worker.on('exit', (code) => this.died(`the device thread exited with code ${code}`));
  }

  /** Starts the thread; resolves once it can take requests. */
  static async start(spec: DeviceSpec, image: DeviceImage): Promise<DeviceThread> {
    const { prepareThreadStopSignal, signalThread } = await import('../../ioctl/thread-signal.js');
    // Before the thread exists: a stop signal must never meet the default action.
    if (spec.kind === 'kernel') prepareThreadStopSignal();
    const thread = new DeviceThread(startWorker(spec, image), spec, signalThread);
    await thread.ready();
    return thread;
  }

  private ready(): Promise<void> {
    return new Promise((resolve, reject) => {
      const onReady = (message: FromDeviceThread): void => {
        if (message.type !== 'ready') return;
        this.worker.off('message', onReady);
        this.tid = message.tid;
        resolve();
      };
      this.worker.on('message', onReady);
      this.worker.once('error', reject);
      this.worker.once('exit', (code) =>
        reject(new DeviceThreadError(`the device thread exited with code ${code} before starting`)),
      );
    });
  }

  /**
   * The same session on a card device that must answer in this thread: the kernel harness, whose
   * hypervisor runs in the test's own event loop. Only tests have such a device.
   */
  static async inThisThread(device: CardDevice, image: DeviceImage): Promise<DeviceThread> {
    const parts = sessionInThisThread(device, image);
    const thread = new DeviceThread(parts, { kind: 'kernel', path: '(this thread)' }, () => false);
    await thread.ready();
    return thread;
  }

  /** open(2) in the thread; may wait system-wide for another holder (flash.c `device_open`). */
  open(): Promise<SyscallOutcome> {
    return this.request({ type: 'open' }, (waiter) => (this.opening = waiter));
  }

  /**
   * Both passes back to back, then the close (a reset after a failure or a stop, the reload
   * after a complete validate); resolves with the close's outcome.
   */
  transfer(listener: TransferListener): Promise<SyscallOutcome> {
    this.listener = listener;
    return this.request({ type: 'transfer' }, (waiter) => (this.closing = waiter));
  }

  /** Close without transferring (a reset: flash.c `device_close`). */
  close(): Promise<SyscallOutcome> {
    if (this.closedWith) return Promise.resolve(this.closedWith); // closed already: once is all
    if (!this.closing) return this.request({ type: 'close' }, (waiter) => (this.closing = waiter));
    // A transfer is under way, or waits for this close (a validate result the engine had to
    // judge first): the thread closes once, and both hear it. A busy thread ignores the request.
    const closed = new Promise<SyscallOutcome>((resolve, reject) =>
      this.chainClose(resolve, reject),
    );
    this.post({ type: 'close' });
    return closed;
  }

  /**
   * Issue no further call. A wait in `open()` ends within a signal round trip; a call in the
   * hypervisor finishes first (it cannot be interrupted), then the thread closes the device.
   */
  requestStop(): void {
    Atomics.store(this.control, CONTROL_STOP, 1);
    this.post({ type: 'stop' });
    if (this.spec.kind !== 'kernel' || this.tid === null || !this.opening || this.resignal) return;
    const tid = this.tid;
    this.signalThread(tid);
    this.resignal = setInterval(() => this.signalThread(tid), RESIGNAL_MS);
  }

  /** Resolves with the faults that fired once the thread has ended (never rejects). */
  whenEnded(): Promise<readonly string[]> {
    return this.ended;
  }

  /** the kernel descriptor the thread opened, for a close after the thread died */
  get openDescriptor(): number | null {
    return this.fd;
  }

  private chainClose(resolve: (o: SyscallOutcome) => void, reject: (e: Error) => void): void {
    const previous = this.closing;
    if (!previous) return;
    this.closing = {
      resolve: (o) => (previous.resolve(o), resolve(o)),
      reject: (e) => (previous.reject(e), reject(e)),
    };
  }

  private request(
    message: ToDeviceThread,
    hold: (waiter: Waiter) => void,
  ): Promise<SyscallOutcome> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      hold({ resolve, reject });
      this.post(message);
    });
  }

  private post(message: ToDeviceThread): void {
    try {
      this.worker.postMessage(message);
    } catch {
      // the thread is gone; `died` settles what waits
    }
  }

  private receive(message: FromDeviceThread): void {
    const l = this.listener;
    switch (message.type) {
      case 'ready':
        return;
      case 'opened':
        this.stopSignalling();
        this.fd = message.outcome.ok ? message.fd : null;
        return this.settle('opening', message.outcome);
      case 'pass-start':
        this.pass = message.pass;
        return l?.passStarted(message.pass, message.at, () => this.readCalls());
      case 'pass-end':
        // Posted after the pass's last call was logged: the listener hears every call first.
        this.readCalls();
        this.pass = null;
        return l?.passEnded(message.pass, message.result, message.gaps);
      case 'closing':
        return l?.closing(message.reload);
      case 'closed':
        this.fd = null;
        this.closedWith = message.outcome;
        return this.settle('closing', message.outcome);
      case 'failed':
        this.failure = new DeviceThreadError(message.message);
        this.fd = null; // the thread closed it before saying so
        return this.rejectAll(this.failure);
      case 'ended':
        this.endedWith(message.firedFaults);
        // The thread ends by itself once it said so; should something keep it, end it.
        setTimeout(() => void this.worker.terminate(), 2000).unref();
        return;
    }
  }

  /** Tell the listener the calls of the current pass logged since the last reading. */
  private readCalls(): void {
    if (this.listener && this.pass) this.log.drain(this.pass, this.listener);
  }

  private settle(which: 'opening' | 'closing', outcome: SyscallOutcome): void {
    const waiter = this[which];
    this[which] = null;
    waiter?.resolve(outcome);
  }

  private stopSignalling(): void {
    if (this.resignal) clearInterval(this.resignal);
    this.resignal = null;
  }

  private rejectAll(error: Error): void {
    this.stopSignalling();
    for (const which of ['opening', 'closing'] as const) {
      const waiter = this[which];
      this[which] = null;
      waiter?.reject(error);
    }
  }

  private died(reason: string): void {
    this.failure ??= new DeviceThreadError(reason);
    this.rejectAll(this.failure);
    this.endedWith([]);
  }
}

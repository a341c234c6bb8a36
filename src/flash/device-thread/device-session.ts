/**
 * What the device thread does with the card device, from open to close: open on request, both
 * passes back to back, the close (a reset, or the reload after a complete validate), and a
 * message for each step. The worker (device-worker.ts) runs it on its own thread; a test whose
 * card device must answer in the main thread (the kernel harness) runs it there.
 */
import type { CardDevice, SyscallOutcome } from '../../ioctl/card-device.js';
import { EPERM } from '../../ioctl/errno.js';
import { chunkPlan } from '../../image/chunk-plan.js';
import { CallTimer } from '../call-timer.js';
import { runPass, type PassName } from '../transfer.js';
import { mayBeKernelValidated } from '../validate-outcome.js';
import { CallLog } from './call-log.js';
import {
  CONTROL_STOP,
  type DeviceThreadData,
  type FromDeviceThread,
  type ToDeviceThread,
} from './protocol.js';

export interface OpenedDevice {
  readonly device: CardDevice;
  /** the kernel descriptor, when there is one */
  fd(): number | null;
  firedFaults(): string[];
  dispose(): Promise<void>;
}

export interface SessionHooks {
  /** just before each pass, while no sequence is open (collector.ts in the device thread) */
  beforePass?(): void;
}

/** Returns the handler of the main thread's requests; `post` carries every step back. */
export function deviceSession(
  opened: OpenedDevice,
  data: Pick<DeviceThreadData, 'padded' | 'size' | 'control' | 'callLog'>,
  post: (message: FromDeviceThread) => void,
  hooks: SessionHooks = {},
): (message: ToDeviceThread) => Promise<void> {
  const { device } = opened;
  const stopRequested = (): boolean => Atomics.load(data.control, CONTROL_STOP) !== 0;
  /** ends the simulator's wait on its semaphore, as a signal ends the kernel's */
  const stopWaiting = new AbortController();
  const plan = chunkPlan(data.size);
  const timer = new CallTimer();
  const log = new CallLog(data.callLog, plan.calls.length);
  const image = { padded: data.padded, size: data.size };
  let busy = false;
  let ended = false;

  async function close(reload: boolean): Promise<void> {
    post({ type: 'closing', reload });
    const outcome: SyscallOutcome = await device.close();
    post({ type: 'closed', outcome });
  }

  /**
   * Both passes, then the close. 'undecided': a validate result that may be the kernel's success
   * path (validate-outcome.ts); the engine reads the evidence and asks for the close itself.
   */
  async function transfer(): Promise<'closed' | 'undecided'> {
    for (const pass of ['download', 'validate'] as PassName[]) {
      hooks.beforePass?.();
      post({ type: 'pass-start', pass, at: timer.now() });
      const gapsBefore = timer.gaps.length;
      // Between two calls: a few numbers into shared memory, nothing else (call-log.ts).
      const result = await runPass(device, pass, image, plan, timer, {
        shouldStop: stopRequested,
        onCallStart: (call, at) => log.callStarted(pass, call, at),
        onCallEnd: (call, outcome, at) => log.callEnded(pass, call, outcome, at),
      });
      post({ type: 'pass-end', pass, result, gaps: timer.gaps.slice(gapsBefore) });
      if (result.kind === 'complete') continue;
      if (mayBeKernelValidated(pass, result)) return 'undecided';
      // flash.c: a failed call has reset the adapter; close resets it again and clears the token.
      await close(false);
      return 'closed';
    }
    // The final validate returned 0: the close removes the AFUs' device and re-probes the card.
    await close(true);
    return 'closed';
  }

  async function handle(message: ToDeviceThread): Promise<void> {
    if (message.type === 'stop') {
      stopWaiting.abort();
      return;
    }
    if (busy || ended) return;
    busy = true;
    try {
      if (message.type === 'open') {
        const outcome: SyscallOutcome = stopRequested()
          ? { ok: false, errno: EPERM, operation: 'open' }
          : await device.open({ signal: stopWaiting.signal });
        post({ type: 'opened', outcome, fd: opened.fd() });
        if (outcome.ok) return;
      } else if (message.type === 'transfer') {
        if ((await transfer()) === 'undecided') return; // the engine asks for the close
      } else {
        await close(false);
      }
    } catch (error) {
      // Close what is open (a reset) before saying so: the main thread cannot reach this device.
      await device.close().catch(() => undefined);
      post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    } finally {
      busy = false;
    }
    await end();
  }

  async function end(): Promise<void> {
    if (ended) return;
    ended = true;
    await opened.dispose();
    post({ type: 'ended', firedFaults: opened.firedFaults() });
  }

  return handle;
}

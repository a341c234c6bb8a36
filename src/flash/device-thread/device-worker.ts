/**
 * The device thread's entry (a `worker_threads` Worker): it owns the card device from open to
 * close. Every call of both passes is issued here, back to back, with nothing between two calls
 * but bookkeeping and a message to the main thread, which never waits on it. So a terminal that
 * stops reading, a full disk, an observer, the main thread's GC or a busy thread pool cannot
 * delay a call (the hypervisor abandons a download when the next call comes more than 3 s after
 * it answered "continue": H_DOWNLOAD_CA_FACILITY, called by hcalls.c `cxl_h_download_facility`).
 *
 * On the kernel device the calls run synchronously on this thread (koffi without `.async`), so
 * this thread's id is the one a stop signal must reach while `open()` waits in flash.c
 * `device_open` (`down_interruptible`). The simulator's driver and hypervisor run here too,
 * behind the same `CardDevice` port, so what it measures is what the real path does.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { CardDevice, SyscallOutcome } from '../../ioctl/card-device.js';
import { EPERM } from '../../ioctl/errno.js';
import { currentThreadId } from '../../ioctl/thread-signal.js';
import { chunkPlan } from '../../image/chunk-plan.js';
import { CallTimer } from '../call-timer.js';
import { runPass, type PassName } from '../transfer.js';
import {
  CONTROL_STOP,
  type CallEnd,
  type DeviceSpec,
  type DeviceThreadData,
  type FromDeviceThread,
  type ToDeviceThread,
} from './protocol.js';

interface OpenedDevice {
  readonly device: CardDevice;
  /** the kernel descriptor, when there is one */
  fd(): number | null;
  firedFaults(): string[];
  dispose(): Promise<void>;
}

async function openDevice(spec: DeviceSpec): Promise<OpenedDevice> {
  if (spec.kind === 'kernel') {
    const { Libc } = await import('../../ioctl/libc.js');
    const { IoctlCardDevice } = await import('../../ioctl/ioctl-card-device.js');
    const libc = new Libc({ libraryPath: spec.libraryPath, callsOn: 'caller' });
    const device = new IoctlCardDevice(spec.path, { libc });
    return { device, fd: () => device.descriptor, firedFaults: () => [], dispose: async () => {} };
  }
  const { connectSimulatedCard } = await import('../../sim/simulation.js');
  const card = connectSimulatedCard(spec);
  const device = card.openCardDevice(spec.path);
  return { device, fd: () => null, firedFaults: () => card.firedFaults(), dispose: card.dispose };
}

const port = parentPort;
if (!port) throw new Error('device-worker runs only as a worker thread');
const data = workerData as DeviceThreadData;
const post = (message: FromDeviceThread): void => port.postMessage(message);
const stopRequested = (): boolean => Atomics.load(data.control, CONTROL_STOP) !== 0;
/** ends the simulator's wait on its semaphore, as a signal ends the kernel's */
const stopWaiting = new AbortController();

const opened = await openDevice(data.spec);
const { device } = opened;
const plan = chunkPlan(data.size);
const timer = new CallTimer();
const image = { padded: data.padded, size: data.size };
let busy = false;
let ended = false;

async function close(reload: boolean): Promise<void> {
  post({ type: 'closing', reload });
  const outcome: SyscallOutcome = await device.close();
  post({ type: 'closed', outcome });
}

async function transfer(): Promise<void> {
  for (const pass of ['download', 'validate'] as PassName[]) {
    post({ type: 'pass-start', pass });
    const gapsBefore = timer.gaps.length;
    let ended: CallEnd | null = null;
    const result = await runPass(device, pass, image, plan, timer, {
      shouldStop: stopRequested,
      onCallStart: (call, at) => {
        post({ type: 'call-start', pass, call, at, previous: ended });
        ended = null;
      },
      onCallEnd: (call, outcome, at) => {
        ended = { call, outcome, at };
      },
    });
    post({ type: 'pass-end', pass, result, gaps: timer.gaps.slice(gapsBefore), last: ended });
    // flash.c: a failed call has reset the adapter; close resets it again and clears the token.
    if (result.kind !== 'complete') return close(false);
  }
  // The final validate returned 0: the close removes the AFUs' device and re-probes the card.
  return close(true);
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
      await transfer();
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

port.on('message', (message: ToDeviceThread) => void handle(message));
post({ type: 'ready', tid: currentThreadId() });

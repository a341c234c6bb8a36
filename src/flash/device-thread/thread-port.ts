/**
 * The two ways a device thread is made: a Worker running device-worker.ts (every real run), or
 * the same session in this thread for a card device that must answer here (the kernel harness,
 * whose hypervisor runs in the test's own event loop). Either way the handle (device-thread.ts)
 * gets a port to talk through, the stop flag and the call log, both in shared memory.
 */
import { EventEmitter } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { CardDevice } from '../../ioctl/card-device.js';
import { chunkPlan } from '../../image/chunk-plan.js';
import { CallLog } from './call-log.js';
import { sizeNextThreadsYoungGeneration } from './collector.js';
import { deviceSession } from './device-session.js';
import {
  CONTROL_LENGTH,
  type DeviceSpec,
  type DeviceThreadData,
  type FromDeviceThread,
  type ToDeviceThread,
} from './protocol.js';
import { deviceWorkerEntry } from './worker-entry.js';

/** What the handle needs of a thread: a Worker, or the same session in this thread (tests). */
export type ThreadPort = Pick<Worker, 'postMessage' | 'on' | 'off' | 'once' | 'terminate'>;

export interface DeviceImage {
  readonly padded: Uint8Array;
  readonly size: number;
}

export interface ThreadParts {
  readonly port: ThreadPort;
  /** `Int32Array` over shared memory; see CONTROL_* in protocol.ts */
  readonly control: Int32Array;
  readonly log: CallLog;
}

/** A shared copy only when the image is not in shared memory already (the loader's is). */
function shared(bytes: Uint8Array): Uint8Array {
  if (bytes.buffer instanceof SharedArrayBuffer) return bytes;
  const copy = new Uint8Array(new SharedArrayBuffer(bytes.byteLength));
  copy.set(bytes);
  return copy;
}

function sharedParts(image: DeviceImage): Omit<ThreadParts, 'port'> {
  return {
    control: new Int32Array(new SharedArrayBuffer(4 * CONTROL_LENGTH)),
    log: CallLog.create(chunkPlan(image.size).calls.length),
  };
}

/** A Worker that owns the card device (device-worker.ts). */
export function startWorker(spec: DeviceSpec, image: DeviceImage): ThreadParts {
  const { entry, eval: isCode } = deviceWorkerEntry();
  const { control, log } = sharedParts(image);
  sizeNextThreadsYoungGeneration(); // a pass's garbage fits: no collection between two calls
  const data: DeviceThreadData = {
    spec,
    padded: shared(image.padded),
    size: image.size,
    control,
    callLog: log.shared,
  };
  return { port: new Worker(entry, { eval: isCode, workerData: data }), control, log };
}

/** The same session in this thread; its messages arrive on a later turn, as a Worker's do. */
export function sessionInThisThread(device: CardDevice, image: DeviceImage): ThreadParts {
  const { control, log } = sharedParts(image);
  const port = new EventEmitter();
  const handle = deviceSession(
    { device, fd: () => null, firedFaults: () => [], dispose: async () => {} },
    { padded: image.padded, size: image.size, control, callLog: log.shared },
    (message: FromDeviceThread) => setImmediate(() => port.emit('message', message)),
  );
  const threadPort = Object.assign(port, {
    postMessage: (message: ToDeviceThread) => void handle(message),
    terminate: async () => 0,
  }) as unknown as ThreadPort;
  setImmediate(() => port.emit('message', { type: 'ready', tid: null } satisfies FromDeviceThread));
  return { port: threadPort, control, log };
}

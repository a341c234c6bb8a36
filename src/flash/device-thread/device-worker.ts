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
import { currentThreadId, raiseThisThreadPriority } from '../../ioctl/thread-signal.js';
import { collectBeforePass } from './collector.js';
import { deviceSession, type OpenedDevice } from './device-session.js';
import type { DeviceSpec, DeviceThreadData, FromDeviceThread, ToDeviceThread } from './protocol.js';

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

/** the device thread's nice value, the highest a normal thread can have (the main thread keeps the process's, usually 0) */
const DEVICE_THREAD_NICE = -20;

const port = parentPort;
if (!port) throw new Error('device-worker runs only as a worker thread');
const data = workerData as DeviceThreadData;
const post = (message: FromDeviceThread): void => {
  port.postMessage(message);
  // The last message: let the thread end by itself (its exit handlers run), nothing keeps it.
  if (message.type === 'ended') port.close();
};
const handle = deviceSession(await openDevice(data.spec), data, post, {
  beforePass: collectBeforePass,
});
// Ahead of the screen's thread for the CPU, where allowed (root): nothing should make a call wait.
raiseThisThreadPriority(DEVICE_THREAD_NICE);
port.on('message', (message: ToDeviceThread) => void handle(message));
post({ type: 'ready', tid: currentThreadId() });

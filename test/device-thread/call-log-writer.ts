/** A thread that writes a call log as the device thread does (for call-log.test.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import { CallLog } from '../../src/flash/device-thread/call-log.js';

const { shared, calls } = workerData as { shared: SharedArrayBuffer; calls: number };
const log = new CallLog(shared, calls);
parentPort?.postMessage('go');
for (let call = 0; call < calls; call++) {
  log.callStarted('download', call, call + 0.25);
  log.callEnded('download', call, { kind: call % 2 === 0 ? 'continue' : 'done' }, call + 0.75);
}

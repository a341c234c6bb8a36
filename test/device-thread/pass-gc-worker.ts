/**
 * A device thread for collector.test.ts: the session on a simulated card, as device-worker.ts
 * runs it, that counts the garbage collections of this thread during each pass (v8.GCProfiler).
 */
import { GCProfiler } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { collectBeforePass } from '../../src/flash/device-thread/collector.js';
import { deviceSession } from '../../src/flash/device-thread/device-session.js';
import type { DeviceThreadData, FromDeviceThread } from '../../src/flash/device-thread/protocol.js';
import { connectSimulatedCard } from '../../src/sim/simulation.js';

const data = workerData as DeviceThreadData & { dir: string; collect: boolean };
const card = connectSimulatedCard({ dir: data.dir, scenarios: ['speed@1000000'] });
const profiler = new GCProfiler();
const collections: Record<string, number> = {};
const handle = deviceSession(
  {
    device: card.openCardDevice('/dev/cxl/card0'),
    fd: () => null,
    firedFaults: () => [],
    dispose: card.dispose,
  },
  data,
  (message: FromDeviceThread) => {
    if (message.type === 'pass-start') profiler.start();
    if (message.type === 'pass-end')
      collections[message.pass] = profiler.stop()?.statistics.length ?? -1;
    if (message.type === 'opened') setImmediate(() => void handle({ type: 'transfer' }));
    if (message.type === 'closed')
      parentPort?.postMessage({ collections, outcome: message.outcome });
  },
  data.collect ? { beforePass: collectBeforePass } : {},
);
void handle({ type: 'open' });

/**
 * No garbage collection in the device thread between the first and the last call of a pass
 * (src/flash/device-thread/collector.ts): the thread's young generation holds a pass's garbage
 * and is emptied before each pass. Measured with v8.GCProfiler in a thread like the real one.
 */
import { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CallLog } from '../../src/flash/device-thread/call-log.js';
import { sizeNextThreadsYoungGeneration } from '../../src/flash/device-thread/collector.js';
import { CONTROL_LENGTH } from '../../src/flash/device-thread/protocol.js';
import { typeScriptWorkerCode } from '../../src/flash/device-thread/worker-entry.js';
import { chunkPlan } from '../../src/image/chunk-plan.js';
import { MiB, startSimulation, testImage, type SimHandle } from '../helpers/sim.js';

describe('garbage collection in the device thread', () => {
  let h: SimHandle;
  beforeEach(async () => {
    h = await startSimulation();
  });
  afterEach(() => h.cleanup());

  it('none during either pass of a 128 MiB flash (129 calls a pass)', async () => {
    const image = testImage(128 * MiB);
    const padded = new Uint8Array(new SharedArrayBuffer(image.padded.byteLength));
    padded.set(image.padded);
    const log = CallLog.create(chunkPlan(image.size).calls.length);
    sizeNextThreadsYoungGeneration();
    const thread = new Worker(
      typeScriptWorkerCode(new URL('./pass-gc-worker.ts', import.meta.url), import.meta.url),
      {
        eval: true,
        workerData: {
          padded,
          size: image.size,
          control: new Int32Array(new SharedArrayBuffer(4 * CONTROL_LENGTH)),
          callLog: log.shared,
          dir: h.dir,
          collect: true,
        },
      },
    );
    const report = await new Promise<{ collections: Record<string, number>; outcome: unknown }>(
      (resolve, reject) => {
        thread.once('message', resolve);
        thread.once('error', reject);
      },
    );
    await thread.terminate();
    expect(report.outcome).toEqual({ ok: true }); // both passes complete: the close reloaded
    expect(report.collections).toEqual({ download: 0, validate: 0 });
  }, 60_000);
});

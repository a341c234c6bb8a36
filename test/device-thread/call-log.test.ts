/**
 * The call log (src/flash/device-thread/call-log.ts): the device thread notes each call in shared
 * memory and sends no message per call; the main thread reads every call, in order, whenever it
 * looks, including from another thread while the calls are being written.
 */
import { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TransferOutcome } from '../../src/ioctl/card-device.js';
import { EIO } from '../../src/ioctl/errno.js';
import { CallLog, type CallLogReader } from '../../src/flash/device-thread/call-log.js';
import { sessionInThisThread } from '../../src/flash/device-thread/thread-port.js';
import { typeScriptWorkerCode } from '../../src/flash/device-thread/worker-entry.js';
import type { FromDeviceThread, ToDeviceThread } from '../../src/flash/device-thread/protocol.js';
import { chunkPlan } from '../../src/image/chunk-plan.js';
import type { PassName } from '../../src/flash/transfer.js';
import { MiB, startSimulation, testImage, type SimHandle } from '../helpers/sim.js';

type Heard =
  ['start', PassName, number, number] | ['end', PassName, number, TransferOutcome, number];

function recorder(): CallLogReader & { heard: Heard[] } {
  const heard: Heard[] = [];
  return {
    heard,
    callStarted: (pass, call, at) => void heard.push(['start', pass, call, at]),
    callEnded: (pass, call, outcome, at) => void heard.push(['end', pass, call, outcome, at]),
  };
}

describe('the call log', () => {
  it('gives each step once, in order, with its stamps and outcome, up to what was written', () => {
    const log = CallLog.create(3);
    const reader = recorder();
    log.callStarted('download', 0, 10);
    log.callEnded('download', 0, { kind: 'continue' }, 11.5);
    log.callStarted('download', 1, 12);
    log.drain('download', reader);
    log.drain('download', reader); // nothing new: nothing twice
    expect(reader.heard).toEqual([
      ['start', 'download', 0, 10],
      ['end', 'download', 0, { kind: 'continue' }, 11.5],
      ['start', 'download', 1, 12],
    ]);
    log.callEnded('download', 1, { kind: 'error', errno: EIO, returned: -1 }, 13);
    log.callStarted('validate', 0, 20);
    log.callEnded('validate', 0, { kind: 'done' }, 21);
    log.drain('download', reader);
    expect(reader.heard.slice(3)).toEqual([
      ['end', 'download', 1, { kind: 'error', errno: EIO, returned: -1 }, 13],
    ]);
    log.drain('validate', reader);
    expect(reader.heard.slice(4)).toEqual([
      ['start', 'validate', 0, 20],
      ['end', 'validate', 0, { kind: 'done' }, 21],
    ]);
  });

  it('refuses a call outside the plan rather than writing past its slots', () => {
    const log = CallLog.create(2);
    expect(() => log.callStarted('validate', 2, 0)).toThrow(RangeError);
    expect(() => log.callEnded('download', -1, { kind: 'done' }, 0)).toThrow(RangeError);
  });

  it('is read whole and in order from another thread while a thread writes it', async () => {
    const calls = 20_000;
    const log = CallLog.create(calls);
    // The writer is the log's own code, in a thread of its own, as in the device thread.
    const writer = new Worker(
      typeScriptWorkerCode(new URL('./call-log-writer.ts', import.meta.url), import.meta.url),
      {
        eval: true,
        workerData: { shared: log.shared, calls },
      },
    );
    const reader = recorder();
    await new Promise((resolve) => writer.once('message', resolve));
    const exited = new Promise((resolve) => writer.once('exit', resolve));
    let reads = 0;
    let done = false;
    void exited.then(() => (done = true));
    while (!done) {
      log.drain('download', reader);
      reads++;
      await new Promise((resolve) => setImmediate(resolve));
    }
    log.drain('download', reader);
    expect(reads).toBeGreaterThan(1);
    expect(reader.heard).toHaveLength(2 * calls);
    reader.heard.forEach((step, i) => {
      const call = i >> 1;
      if (i % 2 === 0) expect(step).toEqual(['start', 'download', call, call + 0.25]);
      else
        expect(step).toEqual([
          'end',
          'download',
          call,
          { kind: call % 2 === 0 ? 'continue' : 'done' },
          call + 0.75,
        ]);
    });
  });
});

describe('the device session sends no message per call', () => {
  let h: SimHandle;
  beforeEach(async () => {
    h = await startSimulation();
  });
  afterEach(() => h.cleanup());

  it('a 16 MiB flash (17 calls a pass): the same messages as any size, every call in the log', async () => {
    const image = testImage(16 * MiB + 5);
    const calls = chunkPlan(image.size).calls.length;
    expect(calls).toBe(17);
    // the session as the device thread runs it, through the port the handle uses in tests
    const { port, log } = sessionInThisThread(h.sim.openCardDevice('/dev/cxl/card0'), image);
    const messages: FromDeviceThread['type'][] = [];
    await new Promise<void>((resolve) => {
      port.on('message', (message: FromDeviceThread) => {
        messages.push(message.type);
        if (message.type === 'ready') port.postMessage({ type: 'open' } satisfies ToDeviceThread);
        if (message.type === 'opened')
          port.postMessage({ type: 'transfer' } satisfies ToDeviceThread);
        if (message.type === 'ended') resolve();
      });
    });
    expect(messages).toEqual([
      'ready',
      'opened',
      'pass-start',
      'pass-end',
      'pass-start',
      'pass-end',
      'closing',
      'closed',
      'ended',
    ]);
    const reader = recorder();
    log.drain('download', reader);
    log.drain('validate', reader);
    expect(reader.heard).toHaveLength(2 * 2 * calls);
    const ends = reader.heard.filter((s) => s[0] === 'end');
    expect(ends.map((s) => (s[3] as TransferOutcome).kind)).toEqual([
      ...Array<string>(calls - 1).fill('continue'),
      'done',
      ...Array<string>(calls - 1).fill('continue'),
      'done',
    ]);
    // every stamp is on the one monotonic clock, in order
    const stamps = reader.heard.map((s) => (s[0] === 'start' ? s[3] : s[4]));
    expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
  });
});

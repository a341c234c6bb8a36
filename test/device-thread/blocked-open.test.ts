/**
 * A stop while the device thread waits in open(): flash.c `device_open` waits on its semaphore
 * with `down_interruptible`, and only a signal delivered to the waiting thread ends that wait.
 * The shim (blocking_open.c) waits the same way while `<path>.held` exists.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import koffi from 'koffi';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DeviceThread } from '../../src/flash/device-thread/device-thread.js';
import type { DeviceSpec } from '../../src/flash/device-thread/protocol.js';
import { runHeadlessFlash } from '../../src/flash/headless.js';
import { EPERM } from '../../src/ioctl/errno.js';
import { engineRun, type EngineRun } from '../helpers/engine.js';

let dir: string;
let library: string;
let shim: { openState: () => number; waitingThread: () => number };
const WAITING = 1;
const INTERRUPTED = 2;
const OPENED = 3;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cxl-blocked-open-'));
  library = join(dir, 'libblockingopen.so');
  const source = join(import.meta.dirname, 'blocking_open.c');
  execFileSync('cc', ['-shared', '-fPIC', '-Wall', '-Wextra', '-Werror', '-o', library, source]);
  // The same library the device thread loads: dlopen gives this thread the same instance.
  const lib = koffi.load(library);
  const openState = lib.func('int shim_open_state(void)') as () => number;
  const waitingThread = lib.func('long shim_waiting_thread(void)') as () => number;
  shim = { openState, waitingThread };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const image = { padded: new Uint8Array(new SharedArrayBuffer(4096 + 128)), size: 4096 };

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function heldCard(name: string): { spec: DeviceSpec; release(): void } {
  const path = join(dir, name);
  writeFileSync(`${path}.held`, '');
  return {
    spec: { kind: 'kernel', path, libraryPath: library },
    release: () => unlinkSync(`${path}.held`),
  };
}

describe('the device thread waiting in open()', () => {
  it('a stop ends the wait within 1 s: the driver answers EPERM to the waiting thread, nothing opened', async () => {
    const card = heldCard('card0');
    const thread = await DeviceThread.start(card.spec, image);
    const opened = thread.open();
    await until(() => shim.openState() === WAITING);
    // the wait is in the device thread, not in this one (nor in the thread pool)
    expect(shim.waitingThread()).not.toBe(process.pid);
    // which runs ahead of the screen's thread for the CPU where it may (root: nice -20)
    const stat = readFileSync(`/proc/${process.pid}/task/${shim.waitingThread()}/stat`, 'utf8');
    const nice = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
    expect(nice).toBe(process.getuid?.() === 0 ? -20 : 0);

    const stoppedAt = performance.now();
    thread.requestStop();
    const outcome = await opened;
    const tookMs = performance.now() - stoppedAt;

    expect(outcome).toEqual({ ok: false, errno: EPERM, operation: 'open' });
    expect(tookMs).toBeLessThan(1000);
    expect(shim.openState()).toBe(INTERRUPTED);
    expect(thread.openDescriptor).toBeNull();
    await thread.whenEnded();
    card.release();
  });

  it('without a stop the wait lasts until the holder closes, then the open succeeds', async () => {
    const card = heldCard('card1');
    const thread = await DeviceThread.start(card.spec, image);
    const opened = thread.open();
    await until(() => shim.openState() === WAITING);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(shim.openState()).toBe(WAITING);
    card.release();
    expect((await opened).ok).toBe(true);
    expect(shim.openState()).toBe(OPENED);
    expect(thread.openDescriptor).toBeGreaterThan(2);
    expect((await thread.close()).ok).toBe(true);
    await thread.whenEnded();
  });
});

describe('a flash whose open waits for another holder', () => {
  let run: EngineRun | undefined;
  afterEach(async () => {
    await run?.dispose();
    run = undefined;
  });

  it.each([
    ['SIGTERM', (r: EngineRun) => r.controller.terminate()],
    ['Ctrl-C', (r: EngineRun) => r.controller.interrupt()],
  ])('%s ends the wait: exit 130, no device opened, the journal says aborted', async (_, stop) => {
    run = await engineRun();
    const r = run;
    const card = heldCard('card2');
    vi.spyOn(r.services, 'deviceSpec').mockReturnValue(card.spec);
    const code = runHeadlessFlash(r.controller, { imagePath: r.imagePath, yes: true });
    await until(() => shim.openState() === WAITING, 10_000);
    const stoppedAt = performance.now();
    stop(r);
    expect(await code).toBe(130);
    expect(performance.now() - stoppedAt).toBeLessThan(1000);
    expect(shim.openState()).toBe(INTERRUPTED);
    const [attempt] = r.attempts();
    expect(attempt?.terminal).toMatchObject({ type: 'aborted', exitCode: 130 });
    expect(r.events.find((e) => e.event === 'result')).toMatchObject({
      outcome: 'aborted',
      message: expect.stringContaining('the adapter was not touched'),
    });
    card.release();
  });
});

/** §4.1: one card device open system-wide; §4.5: the implicit close of a process that dies. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readDeviceUsers } from '../../src/hardware/users.js';
import type { SyscallOutcome } from '../../src/ioctl/card-device.js';
import { EPERM } from '../../src/ioctl/errno.js';
import { startSimulation, type SimHandle } from '../helpers/sim.js';

const CHILD = fileURLToPath(new URL('../helpers/sim-child.mjs', import.meta.url));

/** Whether the promise settles within `ms` (without failing the test either way). */
async function settlesWithin<T>(promise: Promise<T>, ms: number): Promise<boolean> {
  const timeout = new Promise<false>((resolve) => setTimeout(() => resolve(false), ms));
  return Promise.race([promise.then(() => true), timeout]);
}

function startChild(
  dir: string,
  calls: number,
): Promise<{ child: ChildProcessWithoutNullStreams; line: () => Promise<string> }> {
  const child = spawn(process.execPath, [CHILD, dir, String(calls)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters: ((line: string) => void)[] = [];
  let buffer = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      const waiter = waiters.shift();
      if (waiter) waiter(line);
      else lines.push(line);
    }
  });
  const line = (): Promise<string> =>
    lines.length > 0
      ? Promise.resolve(lines.shift() ?? '')
      : new Promise((resolve) => waiters.push(resolve));
  return Promise.resolve({ child, line });
}

describe('the global semaphore of the simulated driver', () => {
  let h: SimHandle;
  beforeEach(async () => {
    h = await startSimulation();
  });
  afterEach(() => h.cleanup());

  it('blocks a second opener until the first closes', async () => {
    const first = h.sim.openCardDevice('/dev/cxl/card0');
    const second = h.sim.openCardDevice('/dev/cxl/card0');
    expect(await first.open()).toEqual({ ok: true });
    const waiting = second.open();
    expect(await settlesWithin(waiting, 150)).toBe(false);
    await first.close();
    expect(await waiting).toEqual({ ok: true });
    await second.close();
  });

  it('answers EPERM when the wait is interrupted (a signal during down_interruptible)', async () => {
    const first = h.sim.openCardDevice('/dev/cxl/card0');
    await first.open();
    const controller = new AbortController();
    const waiting = h.sim.openCardDevice('/dev/cxl/card0').open({ signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    expect(await waiting).toEqual({
      ok: false,
      errno: EPERM,
      operation: 'open',
    } satisfies SyscallOutcome);
    await first.close();
  });

  it('ends a blocked open with EPERM when the simulation is disposed (the process exits)', async () => {
    const held = await h.reopen(['card-held']);
    const waiting = held.openCardDevice('/dev/cxl/card0').open();
    expect(await settlesWithin(waiting, 60)).toBe(false);
    await held.dispose();
    expect(await waiting).toEqual({ ok: false, errno: EPERM, operation: 'open' });
  });

  it('is shared with another process on the same directory, which shows as a card holder', async () => {
    const { child, line } = await startChild(h.dir, 1);
    try {
      expect(await line()).toBe(`ready ${child.pid}`);
      const holder = readDeviceUsers(h.sim.root).users.find((u) => u.pid === child.pid);
      expect(holder).toMatchObject({
        devicePath: '/dev/cxl/card0',
        command: expect.stringMatching(/sim-child\.mjs/),
      });
      const mine = h.sim.openCardDevice('/dev/cxl/card0');
      const waiting = mine.open();
      expect(await settlesWithin(waiting, 200)).toBe(false);
      child.stdin.write('close\n');
      expect(await line()).toBe('closed');
      expect(await waiting).toEqual({ ok: true });
      await mine.close();
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('gives a holder that was killed mid-download the implicit close: reset, no valid image (§4.5)', async () => {
    const { child, line } = await startChild(h.dir, 2);
    expect(await line()).toMatch(/^ready/);
    expect(h.sim.state().holder?.pid).toBe(child.pid);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const next = await h.reopen();
    expect(next.notes.join('\n')).toMatch(
      new RegExp(
        `PID ${child.pid} exited holding the card: the adapter was reset; the image is partial`,
      ),
    );
    expect(next.state()).toMatchObject({ holder: null, image: { state: 'partial' } });
    expect(readDeviceUsers(next.root).users).toEqual([]);
    // the kernel released the semaphore with the process
    const device = next.openCardDevice('/dev/cxl/card0');
    expect(await device.open()).toEqual({ ok: true });
    await device.close();
  });

  it('applies that implicit close when this run opens the card after the holder died', async () => {
    const { child, line } = await startChild(h.dir, 1);
    expect(await line()).toMatch(/^ready/);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const device = h.sim.openCardDevice('/dev/cxl/card0');
    expect(await device.open()).toEqual({ ok: true });
    expect(h.sim.state().image.state).toBe('partial');
    expect(h.sim.state().holder?.pid).toBe(process.pid);
    await device.close();
  });
});

/**
 * Observers never hold a flash: attach clients that stop reading, write junk, or fall behind
 * are dropped or ignored, and the flash still ends, returns its exit code and lets go of its lock.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { isProgress, startCli, type CliProcess } from '../helpers/cli-process.js';
import { sampleImage } from '../helpers/engine.js';

let dir: string;
const children: CliProcess[] = [];
const sockets: Socket[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cxl-observers-'));
});
afterEach(() => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const c of children.splice(0)) c.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const socketPath = (): string => join(dir, 'simulator', 'root', 'run', 'cxl-flasher', 'card0.sock');

/** A client that connects and never reads again (a stopped `attach --json`, a frozen script). */
function stalledClient(path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    sockets.push(socket);
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.pause();
      resolve(socket);
    });
  });
}

function flash(sizeMiB: number, simulate: string): CliProcess {
  writeFileSync(join(dir, 'image.bin'), sampleImage(sizeMiB * 1024 * 1024, 5));
  const child = startCli([
    `--simulate=${simulate}`,
    '--state-dir',
    dir,
    'flash',
    join(dir, 'image.bin'),
    '--yes',
    '--json',
  ]);
  children.push(child);
  return child;
}

async function exitWithin(
  child: CliProcess,
  ms: number,
): Promise<{ code: number | null; signal: NodeJS.Signals | null } | 'hung'> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), ms)));
  try {
    return await Promise.race([child.exit(), hung]);
  } finally {
    clearTimeout(timer);
  }
}

describe('observers never hold a flash', () => {
  it('30 clients that connect and pause: a 64 MiB flash still exits 0 promptly and frees the lock', async () => {
    const flasher = flash(64, 'speed@2');
    await flasher.waitFor(isProgress('download', 1), 60_000);
    await Promise.all(Array.from({ length: 30 }, () => stalledClient(socketPath())));
    const result = await flasher.waitFor((e) => e.event === 'result', 180_000);
    expect(result).toMatchObject({ outcome: 'success', exitCode: 0 });
    // Its end is never awaited on an observer: it exits within seconds of its result.
    expect(await exitWithin(flasher, 10_000)).toEqual({ code: 0, signal: null });
    expect(existsSync(socketPath())).toBe(false);
    // The lock is free: the next flash is not refused.
    const next = await runCli(['--simulate=speed@50', '--state-dir', dir, 'status', '--json']);
    expect(next.code).toBe(0);
    expect(JSON.parse(next.stdout)).toMatchObject({ flashing: null });
  }, 240_000);

  it('a client that writes one byte and stops reading does not change the exit code', async () => {
    const flasher = flash(6, 'speed@4');
    await flasher.waitFor(isProgress('download', 1));
    const writer = await stalledClient(socketPath());
    writer.write('x');
    expect(await exitWithin(flasher, 60_000)).toEqual({ code: 0, signal: null });
  }, 90_000);

  it('a client that writes a lot and closes: the flash goes on and exits 0', async () => {
    const flasher = flash(6, 'speed@4');
    await flasher.waitFor(isProgress('download', 1));
    const noisy = await stalledClient(socketPath());
    noisy.write(Buffer.alloc(256 * 1024, 0x41));
    noisy.end();
    expect(await exitWithin(flasher, 60_000)).toEqual({ code: 0, signal: null });
  }, 90_000);
});

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../src/flash/event-bus.js';
import type { FlashEvent } from '../../src/flash/events.js';
import {
  FELL_BEHIND,
  MAX_BACKLOG_BYTES,
  socketIsLive,
  startAttachServer,
} from '../../src/report/attach-server.js';

function readEvents(path: string, until: (events: FlashEvent[]) => boolean): Promise<FlashEvent[]> {
  return new Promise((resolve, reject) => {
    const events: FlashEvent[] = [];
    let buffer = '';
    const socket = connect(path);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        events.push(JSON.parse(buffer.slice(0, nl)) as FlashEvent);
        buffer = buffer.slice(nl + 1);
      }
      if (until(events)) {
        socket.destroy();
        resolve(events);
      }
    });
    socket.on('error', reject);
  });
}

async function until(condition: () => boolean, ms = 5000): Promise<void> {
  const deadline = performance.now() + ms;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('attach server', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cxl-run-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('serves the replay then live events on a 0600 socket, and removes it on close', async () => {
    const bus = new EventBus();
    bus.emit({
      event: 'phase',
      phase: 'download',
      ctrlC: { action: 'confirm-abort', description: 'd' },
    });
    const server = await startAttachServer(join(dir, 'run'), 'card0', bus);
    expect(statSync(server.path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'run')).mode & 0o777).toBe(0o700);
    const received = readEvents(server.path, (e) => e.some((x) => x.event === 'warning'));
    await new Promise((r) => setTimeout(r, 50));
    bus.emit({ event: 'warning', code: 'gap', message: 'late' });
    const events = await received;
    expect(events.map((e) => e.event)).toEqual(['phase', 'warning']);
    server.close();
    expect(await socketIsLive(server.path)).toBe(false);
    expect(() => statSync(server.path)).toThrow();
  });

  it('refuses a live socket and replaces one left by a flasher that was killed', async () => {
    const bus = new EventBus();
    const first = await startAttachServer(dir, 'card0', bus);
    await expect(startAttachServer(dir, 'card0', bus)).rejects.toThrow(/another flasher/);
    first.close();
    // A SIGKILLed process leaves its socket file behind, with nobody listening.
    const path = join(dir, 'card0.sock');
    const child = spawn(process.execPath, [
      '-e',
      `require('net').createServer().listen(${JSON.stringify(path)}, () => console.log('up'))`,
    ]);
    await new Promise((resolve) => child.stdout.once('data', resolve));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(statSync(path).isSocket()).toBe(true);
    expect(await socketIsLive(path)).toBe(false);
    const second = await startAttachServer(dir, 'card0', bus);
    expect(await socketIsLive(path)).toBe(true);
    second.close();
  });

  it('drops an observer that stopped reading, with a last "you fell behind" line', async () => {
    const bus = new EventBus();
    const server = await startAttachServer(dir, 'card0', bus);
    const socket = connect(server.path);
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.pause();
    await until(() => server.observers === 1);
    const filler = 'x'.repeat(16 * 1024);
    for (let i = 0; i * filler.length < 4 * MAX_BACKLOG_BYTES + (8 << 20); i++) {
      bus.emit({ event: 'warning', code: 'notice', message: filler });
      await new Promise((r) => setImmediate(r));
    }
    expect(server.observers).toBe(0);
    let text = '';
    socket.setEncoding('utf8').on('data', (d: string) => (text += d));
    socket.resume();
    await new Promise((resolve) => socket.once('end', resolve));
    const last = JSON.parse(text.trimEnd().split('\n').at(-1) ?? '{}') as FlashEvent;
    expect(last).toMatchObject({ event: 'warning', code: FELL_BEHIND });
    expect(last.event === 'warning' && last.message).toMatch(/fell behind.*attach again/);
    socket.destroy();
    server.close();
  });

  it('reads and discards what a client sends, notices its close, and closes without waiting', async () => {
    const bus = new EventBus();
    const server = await startAttachServer(dir, 'card0', bus);
    const noisy = connect(server.path);
    await new Promise((resolve) => noisy.once('connect', resolve));
    noisy.end(Buffer.alloc(512 * 1024, 0x41));
    await until(() => server.observers === 0);
    const stalled = connect(server.path);
    await new Promise((resolve) => stalled.once('connect', resolve));
    stalled.pause();
    await until(() => server.observers === 1);
    for (let i = 0; i < 50; i++)
      bus.emit({ event: 'warning', code: 'notice', message: 'y'.repeat(4096) });
    const started = performance.now();
    server.close();
    expect(performance.now() - started).toBeLessThan(100);
    expect(server.observers).toBe(0);
    expect(await socketIsLive(server.path)).toBe(false);
    stalled.destroy();
  });

  it('refuses a socket path longer than sun_path allows', async () => {
    await expect(
      startAttachServer(join(dir, 'x'.repeat(120)), 'card0', new EventBus()),
    ).rejects.toThrow(/longer than 107/);
  });
});

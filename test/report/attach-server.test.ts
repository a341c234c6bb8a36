import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../src/flash/event-bus.js';
import type { FlashEvent } from '../../src/flash/events.js';
import { socketIsLive, startAttachServer } from '../../src/report/attach-server.js';

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
    await server.close();
    expect(await socketIsLive(server.path)).toBe(false);
    expect(() => statSync(server.path)).toThrow();
  });

  it('refuses a live socket and replaces one left by a flasher that was killed', async () => {
    const bus = new EventBus();
    const first = await startAttachServer(dir, 'card0', bus);
    await expect(startAttachServer(dir, 'card0', bus)).rejects.toThrow(/another flasher/);
    await first.close();
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
    await second.close();
  });

  it('refuses a socket path longer than sun_path allows', async () => {
    await expect(
      startAttachServer(join(dir, 'x'.repeat(120)), 'card0', new EventBus()),
    ).rejects.toThrow(/longer than 107/);
  });
});

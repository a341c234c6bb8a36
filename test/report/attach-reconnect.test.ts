/** `attach` comes back when the flasher drops it before the result, and prints nothing twice. */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FlashEvent } from '../../src/flash/events.js';
import { watchFlash } from '../../src/report/attach-client.js';
import { badArgumentEvents } from '../../src/report/ndjson-reporter.js';

const line = (event: object): string => `${JSON.stringify(event)}\n`;
// real events (attach checks each one's shape): a run's start and result, and a warning between
const [start = '', result = ''] = badArgumentEvents('flash', true, {
  message: 'a run',
  exitCode: 2,
});
const behind = line({ event: 'warning', time: 't1', code: 'observer-behind', message: 'm' });

describe('attach reconnects', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cxl-reconnect-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('after being dropped it connects again, skips the replay it saw, and ends with the result', async () => {
    let connections = 0;
    const server = createServer((socket: Socket) => {
      socket.on('error', () => {}); // the liveness probe connects and resets
      connections++;
      // The first connection is dropped as one that fell behind; the second gets the replay.
      if (connections === 1) socket.end(start + behind);
      else socket.end(start + result);
    });
    const path = join(dir, 'card0.sock');
    await new Promise<void>((resolve) => server.listen(path, resolve));
    const seen: FlashEvent[] = [];
    const watch = watchFlash(path, (e) => seen.push(e));
    const ended = await watch.done;
    server.close();
    expect(connections).toBeGreaterThanOrEqual(2); // and the liveness probe between them
    expect(ended).toMatchObject({ event: 'result', exitCode: 2 });
    expect(seen.map((e) => e.event)).toEqual(['start', 'warning', 'result']);
  });

  it('gives up when nothing serves the socket any more', async () => {
    const server = createServer((socket: Socket) => {
      socket.on('error', () => {});
      socket.end(start);
    });
    const path = join(dir, 'card0.sock');
    await new Promise<void>((resolve) => server.listen(path, resolve));
    const watch = watchFlash(path, () => {});
    await new Promise((r) => setTimeout(r, 50));
    server.close();
    expect(await watch.done).toBeNull();
  });
});

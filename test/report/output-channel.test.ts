/**
 * The output channel: a reader that stops reading never blocks the writer, the newest progress
 * line replaces older ones that wait, lines are never dropped, and a write error only ends the
 * output.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OutputChannel } from '../../src/report/output-channel.js';

function eagain(): NodeJS.ErrnoException {
  return Object.assign(new Error('EAGAIN'), { code: 'EAGAIN' });
}

/** A writer that accepts `budget` bytes, then answers EAGAIN until given more. */
function stallingWriter(budget: number) {
  const written: string[] = [];
  let left = budget;
  return {
    written,
    allow(bytes: number) {
      left += bytes;
    },
    writeSync(_fd: number, data: Buffer): number {
      if (left <= 0) throw eagain();
      const n = Math.min(left, data.length);
      left -= n;
      written.push(data.subarray(0, n).toString());
      return n;
    },
  };
}

const settle = (ms = 60): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('OutputChannel', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('while the reader is stalled: every line kept in order, only the newest progress line', async () => {
    const w = stallingWriter(4);
    const channel = new OutputChannel(2, { writeSync: (fd, d) => w.writeSync(fd, d) });
    channel.send('phase download\n');
    for (let i = 1; i <= 50; i++) channel.send(`progress ${i}%\n`, 'progress');
    channel.send('warning: gap\n');
    for (let i = 51; i <= 99; i++) channel.send(`progress ${i}%\n`, 'progress');
    channel.send('result\n');
    expect(w.written.join('')).toBe('phas');
    expect(channel.idle).toBe(false);

    w.allow(10_000);
    await channel.drained();
    expect(w.written.join('')).toBe(
      'phase download\nprogress 50%\nwarning: gap\nprogress 99%\nresult\n',
    );
  });

  it('a write error ends the output quietly, once, and nothing more is written', async () => {
    let calls = 0;
    const failures: string[] = [];
    const channel = new OutputChannel(1, {
      writeSync: () => {
        calls++;
        throw Object.assign(new Error('no space'), { code: 'ENOSPC' });
      },
    });
    channel.onFailure = (code) => failures.push(code);
    expect(() => channel.send('one\n')).not.toThrow();
    channel.send('two\n');
    await channel.drained();
    expect(calls).toBe(1);
    expect(failures).toEqual(['ENOSPC']);
    expect(channel.failure).toBe('ENOSPC');
  });

  it('a FIFO nobody reads: send() returns at once, and everything arrives once it is read', async () => {
    dir = mkdtempSync(join(tmpdir(), 'cxl-channel-'));
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const writer = openSync(fifo, constants.O_WRONLY); // blocking, as a terminal or pipe is
    const channel = new OutputChannel(writer);
    const line = `${'x'.repeat(1023)}\n`;
    const started = performance.now();
    for (let i = 0; i < 1024; i++) channel.send(line); // 1 MiB, 16 times a pipe's buffer
    expect(performance.now() - started).toBeLessThan(1000);
    expect(channel.idle).toBe(false);

    let received = 0;
    const buffer = Buffer.alloc(65536);
    const drained = channel.drained();
    while (received < 1024 * 1024) {
      try {
        received += readSync(reader, buffer);
      } catch {
        await settle(5); // EAGAIN: the channel writes again on its timer
      }
    }
    await drained;
    expect(received).toBe(1024 * 1024);
    channel.close();
    closeSync(reader);
    closeSync(writer);
  });
});

/**
 * sendUnixDatagram against real sockets: it delivers, and a syslog that does not read (a full
 * queue) or is not there answers at once with an errno instead of making the caller wait.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sendUnixDatagram } from '../../src/ioctl/unix-datagram.js';

const EAGAIN = 11;
const ENOENT = 2;

/** A bound datagram socket that reads only when told to (a line on stdin) and prints what it got. */
const SINK = `
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print("ready", flush=True)
for _ in sys.stdin:
    print(s.recv(65536).decode(), flush=True)
`;

let dir: string;
let sink: ChildProcess | null = null;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cxl-dgram-'));
});
afterEach(() => {
  sink?.kill('SIGKILL');
  sink = null;
  rmSync(dir, { recursive: true, force: true });
});

function startSink(path: string): Promise<{ read(): Promise<string> }> {
  const child = spawn('python3', ['-c', SINK, path], { stdio: ['pipe', 'pipe', 'inherit'] });
  sink = child;
  const lines: string[] = [];
  const waiters: ((line: string) => void)[] = [];
  let buffer = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    buffer += d;
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    for (const line of parts) {
      const waiter = waiters.shift();
      if (waiter) waiter(line);
      else lines.push(line);
    }
  });
  const next = (): Promise<string> =>
    lines.length > 0
      ? Promise.resolve(lines.shift() as string)
      : new Promise((resolve) => waiters.push(resolve));
  return next().then(() => ({
    read() {
      child.stdin.write('\n');
      return next();
    },
  }));
}

describe('sendUnixDatagram', () => {
  it('delivers one datagram to a bound socket', async () => {
    const path = join(dir, 'log');
    const s = await startSink(path);
    expect(sendUnixDatagram(path, Buffer.from('<13>hello'))).toEqual({ ok: true });
    expect(await s.read()).toBe('<13>hello');
  });

  it('answers ENOENT at once when nothing listens there', () => {
    expect(sendUnixDatagram(join(dir, 'none'), Buffer.from('x'))).toEqual({
      ok: false,
      errno: ENOENT,
    });
  });

  it('never waits on a reader that does not read: EAGAIN once its queue is full', async () => {
    const path = join(dir, 'log');
    await startSink(path);
    const started = performance.now();
    let result = sendUnixDatagram(path, Buffer.alloc(1024, 0x61));
    for (let i = 0; i < 10_000 && result.ok; i++)
      result = sendUnixDatagram(path, Buffer.alloc(1024, 0x61));
    expect(result).toEqual({ ok: false, errno: EAGAIN });
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('refuses a path longer than sun_path without a system call', () => {
    expect(sendUnixDatagram(`/${'x'.repeat(200)}`, Buffer.from('x')).ok).toBe(false);
  });
});

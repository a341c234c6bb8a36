/**
 * The audit trail in the system log: a real unix datagram socket at /dev/log in the simulator's
 * root (a small Python listener, as syslogd or journald would bind it) receives each attempt's
 * start and end; without a listener, or with something else at /dev/log, the flash is the same.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { sampleImage } from '../helpers/engine.js';

const LISTENER = `
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print("ready", flush=True)
while True:
    print(s.recv(65536).decode("utf-8", "replace"), flush=True)
`;

interface Listener {
  readonly child: ChildProcess;
  readonly lines: string[];
}

/** Binds a datagram socket at `path`; resolves once it is bound. */
function listen(path: string): Promise<Listener> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-c', LISTENER, path], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let buffer = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      buffer += d;
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      for (const line of parts) {
        if (line === 'ready') resolve({ child, lines });
        else lines.push(line);
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`listener exited with ${code}`)));
  });
}

let dir: string;
let image: string;
let listener: Listener | null = null;
const devLog = (): string => join(dir, 'simulator/root/dev/log');

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cxl-trail-'));
  image = join(dir, 'image.bin');
  writeFileSync(image, sampleImage(2_000_000, 3));
  // make the simulator's root, so the listener can bind inside it before the flash
  expect((await runCli(['--simulate', '--state-dir', dir, 'list'])).code).toBe(0);
});
afterEach(() => {
  listener?.child.kill('SIGKILL');
  listener = null;
  rmSync(dir, { recursive: true, force: true });
});

const flash = (scenarios: string, ...args: string[]) =>
  runCli([`--simulate=speed@1000${scenarios}`, '--state-dir', dir, 'flash', image, ...args]);

/** Waits a little for datagrams still in the listener's pipe. */
async function received(count: number): Promise<string[]> {
  for (let i = 0; i < 50 && (listener?.lines.length ?? 0) < count; i++)
    await new Promise((r) => setTimeout(r, 100));
  return listener?.lines ?? [];
}

const HEADER = /^<(\d+)>[A-Z][a-z]{2} [ 1-3]\d \d\d:\d\d:\d\d cxl-flasher\[(\d+)\]: /;

describe('the audit trail in the system log', () => {
  it('logs the start and the end of a successful flash at notice, with who, where and what', async () => {
    listener = await listen(devLog());
    const r = await flash('', '--yes', '--json');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout.trimEnd().split('\n').at(-1) ?? '{}') as {
      journalId: string;
    };
    const sha = (
      JSON.parse(r.stdout.split('\n').find((l) => l.includes('"event":"image"')) ?? '{}') as {
        sha256: string;
      }
    ).sha256;
    const lines = await received(2);
    expect(lines).toHaveLength(2);
    const [start, end] = lines as [string, string];
    for (const line of lines) {
      const m = HEADER.exec(line);
      expect(m, line).not.toBeNull();
      expect(m?.[1]).toBe('13'); // LOG_USER | LOG_NOTICE
      expect(line).toContain('location=U78CB.001.WZS0001-P1-C7');
      expect(line).toContain(`sha256=${sha}`);
      expect(line).toMatch(/ user=\S+ /);
    }
    expect(start).toMatch(/: flash start: /);
    expect(start).toContain(`image=${image}`);
    expect(end).toMatch(/: flash end: outcome=success exit=0 /);
    expect(end).toContain(`journal=${result.journalId}`);
    expect(HEADER.exec(start)?.[2]).toBe(HEADER.exec(end)?.[2]);
  });

  it('logs a failed attempt’s end at priority err with its outcome and exit code', async () => {
    listener = await listen(devLog());
    const r = await flash(',download-fail@2:H_HARDWARE', '--yes');
    expect(r.code).toBe(1);
    const lines = await received(2);
    expect(lines).toHaveLength(2);
    expect(HEADER.exec(lines[0] ?? '')?.[1]).toBe('13');
    expect(HEADER.exec(lines[1] ?? '')?.[1]).toBe('11'); // LOG_USER | LOG_ERR
    expect(lines[1]).toMatch(/flash end: outcome=failed exit=1 /);
  });

  it('logs nothing for a check, a refusal or bad input: the device was never opened', async () => {
    listener = await listen(devLog());
    expect((await flash('', '--check')).code).toBe(0);
    expect((await flash(',afu-in-use', '--yes')).code).toBe(3);
    expect((await flash('', '--yes', '--sha256', 'f'.repeat(64))).code).toBe(2);
    await new Promise((r) => setTimeout(r, 300));
    expect(listener.lines).toEqual([]);
  });

  it('quotes an image path with spaces and a newline, so one attempt is one line', async () => {
    listener = await listen(devLog());
    const odd = join(dir, 'odd name\nwith newline.bin');
    writeFileSync(odd, sampleImage(2_000_000, 8));
    const r = await runCli(['--simulate=speed@1000', '--state-dir', dir, 'flash', odd, '--yes']);
    expect(r.code).toBe(0);
    const lines = await received(2);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain(`image=${JSON.stringify(odd)}`);
  });

  it.each([
    ['no syslog socket', () => {}],
    ['a regular file at /dev/log', () => writeFileSync(devLog(), '')],
    ['a directory at /dev/log', () => mkdirSync(devLog())],
  ])('flashes as usual with %s, and says nothing about it', async (_name, plant) => {
    plant();
    const r = await flash('', '--yes');
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/syslog|dev\/log|audit/i);
  });
});

/**
 * Terminal injection through the built CLI on the simulator: a corpus of outside strings
 * (image file names, journal fields, a lock holder's details, device-tree values, .bit design
 * fields, sidecar entry names, `--card`, attach events), each holding ESC, BEL, CR, LF, C1 and
 * bidi overrides, through every plain command. The program writes no escape sequence of its
 * own in plain mode (FORCE_COLOR=0, no terminal), so the captured bytes must hold no control
 * character but the newlines, and no line may be forged.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNSAFE_FOR_TERMINAL } from '../../src/terminal-text.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { xilinxBin } from '../helpers/images.js';

/** Retitles the window, colours, returns the cursor, forges a result line, C1 CSI, bidi. */
export const NASTY =
  'n\x1b]2;PWNED\x07\x1b[31m\r\nsuccess (exit 0): forged\x9b2J\u202egnp.exe\u2066\u2028\x7f\t';
const FORGED = /^\s*success \(exit 0\): forged/m;

/** Every byte the program printed is its own: no control character but a newline. */
function expectClean(r: CliResult, what: string): void {
  for (const [stream, text] of [
    ['stdout', r.stdout],
    ['stderr', r.stderr],
  ] as const) {
    text.split('\n').forEach((line, i) => {
      const bad = UNSAFE_FOR_TERMINAL.exec(line);
      expect(
        bad,
        `${what}: ${stream} line ${i + 1} holds U+${bad?.[0].codePointAt(0)?.toString(16).padStart(4, '0')}: ${JSON.stringify(line)}`,
      ).toBeNull();
    });
    expect(text, `${what}: ${stream} forges a result line`).not.toMatch(FORGED);
  }
  expect(r.stderr, what).not.toMatch(/internal error/);
}

const startRecord = (id: string) => ({
  type: 'start',
  id,
  time: '2026-11-25T07:00:00.000Z',
  pid: 1,
  user: NASTY,
  host: NASTY,
  sshClient: `${NASTY} 22 22`,
  tty: NASTY,
  toolVersion: NASTY,
  simulated: true,
  card: {
    name: NASTY,
    locationCode: NASTY,
    vendorId: 4116,
    deviceId: 1143,
    subsystemVendorId: 4116,
    subsystemId: 1231,
    pslRevision: 12,
  },
  image: { path: `/img/${NASTY}.bin`, size: 3_000_000, sha256: 'ab'.repeat(32), payloadOffset: 0 },
  callsPerPass: 3,
});
const terminalRecord = (id: string, type: string) => ({
  type,
  id,
  time: '2026-11-25T07:01:00.000Z',
  phase: 'download',
  call: 1,
  errno: 5,
  errnoName: NASTY,
  hcall: { rc: -2, name: NASTY },
  largestGapMs: 1,
  exitCode: 1,
  message: NASTY,
});

/** A .bit file whose design, part, date and time fields are the corpus (latin1: C1 bytes). */
function nastyBit(): Buffer {
  const field = (key: string, text: string): Buffer => {
    const value = Buffer.from(`${text}\0`, 'latin1');
    const length = Buffer.alloc(2);
    length.writeUInt16BE(value.length);
    return Buffer.concat([Buffer.from(key), length, value]);
  };
  const latin1 = 'd\x1b]2;PWNED\x07\r\nsuccess (exit 0): forged\x9b2J';
  const bitstream = xilinxBin(300_000);
  const e = Buffer.alloc(5);
  e.write('e');
  e.writeUInt32BE(bitstream.length, 1);
  return Buffer.concat([
    Buffer.from('00090ff00ff00ff00ff0000001', 'hex'),
    field('a', latin1),
    field('b', latin1),
    field('c', latin1),
    field('d', latin1),
    e,
    bitstream,
  ]);
}

let dir: string;
let images: string;
const sim = (stateDir: string, ...args: string[]) =>
  runCli(['--simulate', '--state-dir', stateDir, ...args], { env: { XDG_RUNTIME_DIR: '' } });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cxl-inject-'));
  images = join(dir, 'images');
  mkdirSync(images);
  writeFileSync(join(images, `${NASTY}.bin`), xilinxBin(300_000));
  writeFileSync(join(images, 'design.bit'), nastyBit());
  writeFileSync(join(images, 'listed.bin'), xilinxBin(300_000));
  writeFileSync(join(images, 'plain.bin'), xilinxBin(300_000));
  writeFileSync(
    join(images, 'listed.bin.sha256'),
    // sha256sum's escaped form: a leading backslash, then \n and \r in the name are its own
    [1, 2]
      .map(
        (n) =>
          `\\${'ab'.repeat(16)}${n}${'0'.repeat(31)}  ${NASTY.replace(/\n/g, '\\n')
            .replace(/\r/g, '\\r')
            .replace(/\u2028/g, '')}${n}\n`,
      )
      .join(''),
  );
  // the simulator's adapter, with the corpus as its location code (device tree, kmsg)
  const state = join(dir, 'state');
  expect((await sim(state, 'list')).code).toBe(0);
  const modelFile = join(state, 'simulator', 'model.json');
  const model = JSON.parse(readFileSync(modelFile, 'utf8')) as {
    adapter: { locationCode: string };
    lastEvent: string;
  };
  model.adapter.locationCode = NASTY;
  model.lastEvent = NASTY;
  writeFileSync(modelFile, JSON.stringify(model));
  writeFileSync(
    join(state, 'journal.jsonl'),
    [
      startRecord(`a${NASTY}`),
      terminalRecord(`a${NASTY}`, 'failed'),
      startRecord(`b${NASTY}`),
      {
        type: 'progress',
        id: `b${NASTY}`,
        time: 't',
        phase: 'download',
        call: 1,
        calls: 3,
        bytes: 1,
        largestGapMs: 1,
      },
    ]
      .map((r) => JSON.stringify(r))
      .join('\n') + '\n',
  );
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const state = () => join(dir, 'state');

describe('plain commands show the corpus escaped, never raw', () => {
  for (const args of [['list'], ['status'], ['doctor'], ['history'], ['recover']]) {
    it(args.join(' '), async () => {
      const r = await sim(state(), ...args);
      expectClean(r, args.join(' '));
    });
  }

  it("history shows the name in $'...' form", async () => {
    const r = await sim(state(), 'history');
    expect(r.stdout).toContain("$'n\\e]2;PWNED\\a\\e[31m\\r\\nsuccess (exit 0): forged");
  });

  it('inspect of a file whose name is the corpus', async () => {
    expectClean(await sim(state(), 'inspect', join(images, `${NASTY}.bin`)), 'inspect name');
  });

  it('inspect of a .bit whose design fields are the corpus', async () => {
    expectClean(await sim(state(), 'inspect', join(images, 'design.bit')), 'inspect .bit');
  });

  it('inspect with a sidecar whose entry names are the corpus', async () => {
    expectClean(await sim(state(), 'inspect', join(images, 'listed.bin')), 'inspect sidecar');
  });

  it('flash of a file whose name is the corpus, on a card whose location code is', async () => {
    const r = await sim(state(), 'flash', '--yes', join(images, `${NASTY}.bin`));
    expectClean(r, 'flash');
  });

  it('flash --card with the corpus', async () => {
    const r = await sim(state(), 'flash', '--yes', '--card', NASTY, join(images, 'listed.bin'));
    expect(r.code).not.toBe(0);
    expectClean(r, 'flash --card');
  });

  it('--json keeps the values exact and the bytes safe (flash, history, inspect)', async () => {
    const path = join(images, `${NASTY}.bin`);
    const flash = await sim(state(), 'flash', '--yes', '--json', path);
    expectClean(flash, 'flash --json');
    const image = flash.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event: string; path?: string })
      .find((e) => e.event === 'image');
    expect(image?.path).toBe(path);
    const history = await sim(state(), 'history', '--json');
    expectClean(history, 'history --json');
    const doc = JSON.parse(history.stdout) as { attempts: { user: string }[] };
    expect(doc.attempts.map((a) => a.user)).toContain(NASTY);
    const inspect = await sim(state(), 'inspect', '--json', path);
    expectClean(inspect, 'inspect --json');
    expect((JSON.parse(inspect.stdout) as { image: { path: string } }).image.path).toBe(path);
  }, 60_000);

  it('a 1 MiB garbage .sha256 sidecar makes a short message (19 MB before)', async () => {
    const image = join(dir, 'garbage', 'psl.bin');
    mkdirSync(join(dir, 'garbage'), { recursive: true });
    writeFileSync(image, xilinxBin(300_000));
    writeFileSync(`${image}.sha256`, `${NASTY}\n`.repeat(Math.floor((1024 * 1024 - 1) / 60)));
    for (const command of ['inspect', 'flash']) {
      const r = await sim(state(), command, ...(command === 'flash' ? ['--yes'] : []), image);
      expect(r.code, command).toBe(2);
      expect(r.stdout.length + r.stderr.length, command).toBeLessThan(4000);
      expectClean(r, `${command} garbage sidecar`);
    }
  });

  it("commander's own errors: an unknown option or command holding the corpus", async () => {
    for (const args of [[`--${NASTY}`], ['list', `--${NASTY}`], [NASTY], ['list', NASTY]]) {
      const r = await runCli(args);
      expect(r.code, JSON.stringify(args)).toBe(2);
      expectClean(r, `usage error ${JSON.stringify(args)}`);
    }
  });

  it('inspect of a missing file whose name is the corpus', async () => {
    expectClean(await sim(state(), 'inspect', join(images, `${NASTY}.missing`)), 'missing');
  });
});

describe('a lock holder whose details are the corpus', () => {
  let holder: ChildProcess | null = null;
  const lockState = () => join(dir, 'locked');
  beforeAll(async () => {
    mkdirSync(lockState(), { recursive: true });
    writeFileSync(
      join(lockState(), 'lock'),
      JSON.stringify({
        pid: process.pid,
        user: NASTY,
        host: NASTY,
        tty: NASTY,
        sshClient: `${NASTY} 1 2`,
        card: NASTY,
        phase: NASTY,
        startedAt: NASTY,
        attemptId: NASTY,
        updatedAt: NASTY,
      }),
    );
    holder = spawn('flock', [join(lockState(), 'lock'), 'sleep', '60'], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 300));
  });
  afterAll(() => {
    holder?.kill('SIGKILL');
  });

  it('flash is refused with the holder shown escaped', async () => {
    const r = await sim(lockState(), 'flash', '--yes', join(images, 'plain.bin'));
    expect(r.code).toBe(3);
    expectClean(r, 'flash refused');
  });

  it('status', async () => {
    expectClean(await sim(lockState(), 'status'), 'status with lock');
  });
});

describe('attach to a socket that sends the corpus', () => {
  let server: Server | null = null;
  const attachState = () => join(dir, 'attach');
  const events = [
    {
      event: 'start',
      schema: 1,
      tool: { name: NASTY, version: NASTY },
      command: NASTY,
      simulated: true,
      pid: 1,
    },
    { event: 'warning', code: NASTY, message: NASTY },
    { event: 'image', path: NASTY, size: 1, sha256: NASTY, format: NASTY, callsPerPass: 1 },
    { event: 'reload', state: NASTY, message: NASTY },
    {
      event: 'result',
      outcome: NASTY,
      exitCode: 1,
      message: NASTY,
      nextStep: NASTY,
      journalId: NASTY,
      durationsMs: {},
      largestGapMs: null,
    },
  ];
  beforeAll(async () => {
    // the simulator's run folder (its tree is made by the first command)
    expect((await sim(attachState(), 'list')).code).toBe(0);
    const runDir = join(attachState(), 'simulator', 'root', 'run', 'cxl-flasher');
    mkdirSync(runDir, { recursive: true, mode: 0o700 });
    server = createServer((socket) => {
      socket.on('error', () => undefined); // the liveness probe hangs up at once
      socket.end(events.map((e) => `${JSON.stringify(e)}\n`).join(''));
    });
    await new Promise<void>((r) => server?.listen(join(runDir, 'card0.sock'), r));
  });
  afterAll(async () => {
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  });

  it('attach prints the events escaped', async () => {
    const r = await sim(attachState(), 'attach');
    expect(r.stderr).toMatch(/watching the flash of card0/);
    expectClean(r, 'attach');
  });
});

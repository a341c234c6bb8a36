/**
 * The attach client reads a socket it does not control: a malformed `result`, an unknown event
 * or a line that is not JSON is skipped and named, never a crash; a socket owned by another
 * user, in a folder others can write, is not trusted.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FlashEvent } from '../../src/flash/events.js';
import { socketTrustProblem, watchFlash } from '../../src/report/attach-client.js';
import { runCli } from '../helpers/cli.js';

const RESULT = {
  event: 'result',
  time: 't',
  outcome: 'success',
  exitCode: 0,
  journalId: 'j',
  message: 'ok',
  nextStep: 'none',
  durationsMs: { total: 5 },
  largestGapMs: 1,
  gapP99Ms: null,
  before: null,
  after: null,
};

let dir: string;
let server: Server | null = null;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cxl-attach-client-'));
});
afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = null;
  rmSync(dir, { recursive: true, force: true });
});

async function serve(path: string, lines: readonly string[]): Promise<void> {
  server = createServer((socket) => {
    socket.on('error', () => undefined);
    socket.end(lines.map((l) => `${l}\n`).join(''));
  });
  await new Promise<void>((r) => server?.listen(path, r));
}

describe('watchFlash', () => {
  it('skips a malformed result, an unknown event and junk, naming each line', async () => {
    const path = join(dir, 'card0.sock');
    await serve(path, [
      'not json',
      JSON.stringify({ event: 'result', time: 't', outcome: 'success', exitCode: 0 }),
      JSON.stringify({ event: 'pwn', time: 't' }),
      JSON.stringify({ ...RESULT, durationsMs: null }),
      JSON.stringify(RESULT),
    ]);
    const events: FlashEvent[] = [];
    const skipped: string[] = [];
    const watch = watchFlash(path, (e) => events.push(e), {
      onSkipped: (line, reason) => skipped.push(`${line}: ${reason}`),
    });
    const result = await watch.done;
    expect(events.map((e) => e.event)).toEqual(['result']);
    expect(result).toMatchObject({ event: 'result', journalId: 'j' });
    expect(skipped).toHaveLength(4);
    expect(skipped[0]).toMatch(/^1: /);
    expect(skipped[1]).toMatch(/^2: .*not missing/);
    expect(skipped[2]).toMatch(/^3: .*event/);
    expect(skipped[3]).toMatch(/^4: .*durationsMs/);
  });

  it('the CLI: a malformed result does not crash attach, in plain and JSON mode', async () => {
    const state = join(dir, 'state');
    expect((await runCli(['--simulate', '--state-dir', state, 'list'])).code).toBe(0);
    const runDir = join(state, 'simulator', 'root', 'run', 'cxl-flasher');
    mkdirSync(runDir, { recursive: true, mode: 0o700 });
    await serve(join(runDir, 'card0.sock'), [
      JSON.stringify({ event: 'result', time: 't', outcome: 'success', exitCode: 0 }),
    ]);
    for (const json of [[], ['--json']]) {
      const r = await runCli(['--simulate', '--state-dir', state, 'attach', ...json], {
        env: { XDG_RUNTIME_DIR: '' },
      });
      expect(r.stderr).not.toMatch(/internal error|TypeError/);
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/event line 1 .*skipped/);
    }
  });
});

describe('socketTrustProblem', () => {
  it('trusts our own socket in our own private folder', async () => {
    const path = join(dir, 'card0.sock');
    await serve(path, []);
    expect(socketTrustProblem(path)).toBeNull();
  });

  it('refuses a socket in a folder others can write', async () => {
    const open = join(dir, 'open');
    mkdirSync(open);
    chmodSync(open, 0o777);
    const path = join(open, 'card0.sock');
    await serve(path, []);
    expect(socketTrustProblem(path)).toMatch(/writable by others/);
  });
});

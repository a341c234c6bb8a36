/**
 * While a flash runs, its attempt has a start record and no terminal record yet. `status`,
 * `history` and a second flasher must not call it "unfinished": the lock is held by a live
 * process running that very attempt, so it is "in progress (pid N, phase P)".
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { isProgress, startCli, type CliProcess } from '../helpers/cli-process.js';
import { sampleImage } from '../helpers/engine.js';
import { schemaValidator } from '../helpers/schema.js';

const ajv = schemaValidator();
/** The documented shape (docs/schema) holds for the in-progress answers too. */
function expectSchema(name: string, value: unknown): void {
  const validate = ajv.compile(
    JSON.parse(readFileSync(`docs/schema/${name}.schema.json`, 'utf8')) as object,
  );
  expect(validate(value), `${name}: ${ajv.errorsText(validate.errors)}`).toBe(true);
  ajv.removeSchema();
}

let dir: string;
let flasher: CliProcess;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cxl-in-progress-'));
  writeFileSync(join(dir, 'image.bin'), sampleImage(12 * 1024 * 1024, 5));
  flasher = startCli([
    '--simulate=speed@2',
    '--state-dir',
    dir,
    'flash',
    join(dir, 'image.bin'),
    '--yes',
    '--json',
  ]);
  await flasher.waitFor(isProgress('download', 1));
});
afterEach(() => {
  flasher.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const pid = (): number => flasher.child.pid ?? -1;
/** 12 MiB at speed 2 keeps the download going for seconds; a slow machine may be validating. */
const PHASE = '(download|validate)';
const aPhase = expect.stringMatching(/^(download|validate)$/);
const cli = (...args: string[]) => runCli(['--simulate', '--state-dir', dir, ...args]);

describe('a flash that is running right now', () => {
  it('status and status --json say in progress, with its pid and phase', async () => {
    const json = await cli('status', '--json');
    expect(json.code).toBe(0);
    const s = JSON.parse(json.stdout) as {
      cards: { lastFlash: { outcome: string; inProgress?: { pid: number; phase: string } } }[];
    };
    expectSchema('status', s);
    expect(s.cards[0]?.lastFlash).toMatchObject({
      outcome: 'in-progress',
      inProgress: { pid: pid(), phase: aPhase },
    });
    const text = await cli('status');
    expect(text.stdout).toMatch(
      new RegExp(`last flash .*: in progress \\(pid ${pid()}, phase ${PHASE}\\)`),
    );
    expect(text.stdout).not.toMatch(/unfinished/);
  });

  it('history and history --json say in progress, not unfinished', async () => {
    const json = await cli('history', '--json');
    expect(json.code).toBe(0);
    const h = JSON.parse(json.stdout) as {
      attempts: { outcome: string; phase: string; inProgress: unknown }[];
    };
    expectSchema('history', h);
    expect(h.attempts[0]).toMatchObject({
      outcome: 'in-progress',
      phase: aPhase,
      inProgress: { pid: pid(), phase: aPhase },
    });
    const text = await cli('history');
    expect(text.stdout).toMatch(new RegExp(`IN PROGRESS \\(pid ${pid()}, phase ${PHASE}\\)`));
    expect(text.stdout).not.toMatch(/UNFINISHED/);
  });

  it("a second flasher's journal check says in progress, and its lock check names the holder", async () => {
    const second = await cli('flash', join(dir, 'image.bin'), '--yes', '--json');
    expect(second.code).toBe(3);
    const events = second.stdout
      .split('\n')
      .filter(Boolean)
      .map(
        (l) =>
          JSON.parse(l) as {
            event: string;
            checks?: { id: string; status: string; message: string }[];
          },
      );
    const checks = events.find((e) => e.event === 'preflight')?.checks ?? [];
    const journal = checks.find((c) => c.id === 'journal');
    expect(journal?.message).toMatch(
      new RegExp(`is in progress \\(pid ${pid()}, phase ${PHASE}\\)`),
    );
    expect(journal?.message).not.toMatch(/never finished/);
    expect(checks.find((c) => c.id === 'flasher-lock')?.status).toBe('fail');
    const adapters = events.find((e) => e.event === 'adapters') as unknown as {
      cards: { lastFlash: { outcome: string } }[];
    };
    expect(adapters.cards[0]?.lastFlash.outcome).toBe('in-progress');
  });
});

describe('after the flasher was killed', () => {
  it('the same attempt is unfinished again: nobody holds the lock', async () => {
    flasher.child.kill('SIGKILL');
    await flasher.exit();
    const json = await cli('history', '--json');
    const h = JSON.parse(json.stdout) as { attempts: { outcome: string; inProgress: unknown }[] };
    expect(h.attempts[0]).toMatchObject({ outcome: 'unfinished', inProgress: null });
    const s = JSON.parse((await cli('status', '--json')).stdout) as {
      cards: { lastFlash: { outcome: string } }[];
    };
    expect(s.cards[0]?.lastFlash.outcome).toBe('unfinished');
  });
});

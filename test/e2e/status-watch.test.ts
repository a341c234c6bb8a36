/**
 * `status` (and `status --watch`) while a flash runs: the running flash's phase, percentage and
 * rate from its journal records, and during the reload, while the card is gone from sysfs, that
 * the kernel is re-probing it (not "no card").
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020Module from 'ajv/dist/2020.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI, runCli } from '../helpers/cli.js';
import { isProgress, startCli, type CliProcess } from '../helpers/cli-process.js';
import { sampleImage } from '../helpers/engine.js';

const validateStatus = new Ajv2020Module.default({
  allErrors: true,
  strict: false,
  validateFormats: false,
}).compile(JSON.parse(readFileSync('docs/schema/status.schema.json', 'utf8')) as object);

interface FlashFacts {
  readonly phase: string;
  readonly percent: number | null;
  readonly rateBytesPerSec: number | null;
  readonly call: number | null;
  readonly calls: number | null;
  readonly reprobing: boolean;
  readonly locationCode: string | null;
}

let dir: string;
let flasher: CliProcess | null = null;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cxl-watch-'));
  writeFileSync(join(dir, 'image.bin'), sampleImage(12 * 1024 * 1024, 5));
});
afterEach(() => {
  flasher?.child.kill('SIGKILL');
  flasher = null;
  rmSync(dir, { recursive: true, force: true });
});

const startFlash = (scenarios: string, ...extra: string[]): CliProcess => {
  flasher = startCli([
    `--simulate=${scenarios}`,
    '--state-dir',
    dir,
    'flash',
    join(dir, 'image.bin'),
    '--yes',
    '--json',
    ...extra,
  ]);
  return flasher;
};
const status = (...args: string[]) => runCli(['--simulate', '--state-dir', dir, 'status', ...args]);

async function statusJson(): Promise<{ flash: FlashFacts | null; cards: unknown[] }> {
  const r = await status('--json');
  expect(r.code).toBe(0);
  const s = JSON.parse(r.stdout) as { flash: FlashFacts | null; cards: unknown[] };
  expect(validateStatus(s), JSON.stringify(validateStatus.errors)).toBe(true);
  return s;
}

describe('status while a flash runs', () => {
  it('shows the phase, the percentage and the rate of the transfer', async () => {
    const f = startFlash('speed@1');
    await f.waitFor(isProgress('download', 1), 30_000);
    // the journal checkpoints about once a second: wait for one with bytes
    let facts: FlashFacts | null = null;
    for (let i = 0; i < 20; i++) {
      facts = (await statusJson()).flash;
      if (facts?.rateBytesPerSec) break;
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(facts).toMatchObject({
      phase: expect.stringMatching(/^(download|validate)$/) as unknown,
      reprobing: false,
      locationCode: 'U78CB.001.WZS0001-P1-C7',
    });
    expect(facts?.percent).toBeGreaterThan(0);
    expect(facts?.percent).toBeLessThanOrEqual(100);
    expect(facts?.rateBytesPerSec).toBeGreaterThan(0);
    const text = await status();
    expect(text.stdout).toMatch(
      /^ {2}(download|validate) \d+% \(call \d+\/\d+\) at \d+(\.\d)? MB\/s since /m,
    );
  });

  it('status --watch (plain) prints the progress in its snapshots', async () => {
    const f = startFlash('speed@1');
    await f.waitFor(isProgress('download', 1), 30_000);
    const watch = spawn(
      process.execPath,
      [CLI, '--simulate', '--state-dir', dir, 'status', '--watch', '--interval', '0.3'],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } },
    );
    let out = '';
    watch.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    try {
      for (let i = 0; i < 100 && !/\d+% \(call \d+\/\d+\) at \d/.test(out); i++)
        await new Promise((r) => setTimeout(r, 100));
    } finally {
      watch.kill('SIGINT');
    }
    expect(out).toMatch(/FLASHING: pid \d+/);
    expect(out).toMatch(/^ {2}(download|validate) \d+% \(call \d+\/\d+\) at [\d.]+ MB\/s/m);
  });

  it('during the reload, says the card is being re-probed instead of "no cards"', async () => {
    // no-reload: the card never comes back, so the reload lasts until --reload-timeout
    const f = startFlash('speed@1000,no-reload', '--reload-timeout', '60');
    await f.waitFor((e) => e.event === 'reload' && e.state === 'waiting-for-return', 30_000);
    const s = await statusJson();
    expect(s.cards).toEqual([]);
    expect(s.flash).toMatchObject({
      phase: 'reload',
      reprobing: true,
      locationCode: 'U78CB.001.WZS0001-P1-C7',
    });
    const text = await status();
    expect(text.stdout).toMatch(
      /^ {2}reload: the kernel is re-probing card0 at U78CB\.001\.WZS0001-P1-C7 since /m,
    );
    expect(text.stdout).toMatch(/^no cards visible: the flashed card is being re-probed$/m);
    expect(text.stdout).not.toMatch(/^no cards$/m);
  });

  it('with no flash running there is nothing about one', async () => {
    const s = await statusJson();
    expect(s.flash).toBeNull();
  });
});

/**
 * The built CLI without a terminal: a SIGINT or SIGHUP while the image is still being read and
 * hashed ends the run there. The card device is never opened afterwards (open + close alone
 * resets the adapter, docs/kernel-contract.md §4.1/§4.5), one result is printed, nothing is journaled.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startCli, type CliProcess } from '../helpers/cli-process.js';
import { sampleImage } from '../helpers/engine.js';

let imageDir: string;
let image: string;
let dir: string;
const children: CliProcess[] = [];

beforeAll(() => {
  imageDir = mkdtempSync(join(tmpdir(), 'cxl-quit-image-'));
  image = join(imageDir, 'big.bin');
  // 192 MiB: reading and hashing it takes a few hundred milliseconds, long enough to signal.
  const big = Buffer.alloc(192 * 1024 * 1024, 0x5a);
  sampleImage(1024 * 1024, 7).copy(big);
  writeFileSync(image, big);
});
afterAll(() => rmSync(imageDir, { recursive: true, force: true }));
afterEach(() => {
  for (const c of children.splice(0)) c.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const start = (...extra: string[]): CliProcess => {
  dir = mkdtempSync(join(tmpdir(), 'cxl-quit-'));
  const c = startCli([
    '--simulate=speed@50',
    '--state-dir',
    dir,
    'flash',
    image,
    '--yes',
    ...extra,
  ]);
  children.push(c);
  return c;
};

const attempts = async (): Promise<{ outcome: string }[]> => {
  const r = await runCli(['--simulate', '--state-dir', dir, 'history', '--json']);
  return (JSON.parse(r.stdout) as { attempts: { outcome: string }[] }).attempts;
};

/** Resolves once `text` appears on the child's stderr (plain mode's progress lines). */
async function stderrShows(c: CliProcess, text: string, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!c.stderr().includes(text)) {
    if (Date.now() > until) throw new Error(`no "${text}" on stderr: ${c.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('a signal while the image is hashed, without a terminal', () => {
  it.each(['SIGINT', 'SIGHUP'] as const)(
    '--json, %s: exit 130, one result, the device never opened, nothing journaled',
    async (signal) => {
      const c = start('--json');
      await c.waitFor((e) => e.event === 'phase' && e.phase === 'loadingImage');
      c.child.kill(signal);
      const { code } = await c.exit();

      expect(code).toBe(130);
      const results = c.events.filter((e) => e.event === 'result');
      expect(results).toHaveLength(1);
      expect(results[0]).toMatchObject({ outcome: 'aborted', exitCode: 130, journalId: null });
      expect(c.events.at(-1)?.event).toBe('result');
      // nothing after the image: no preflight, no review, no opening, no error
      const later = c.events.filter(
        (e) =>
          ['image', 'preflight', 'error'].includes(e.event) ||
          (e.event === 'phase' && ['review', 'opening'].includes(e.phase as string)),
      );
      expect(later).toEqual([]);
      expect(await attempts()).toEqual([]);
    },
    30_000,
  );

  it('plain lines, SIGINT: exit 130, one result line, no open, nothing journaled', async () => {
    const c = start();
    await stderrShows(c, 'phase loadingImage');
    c.child.kill('SIGINT');
    const { code } = await c.exit();

    expect(code).toBe(130);
    // one result line on stdout, the quit; no second "failed (exit 3) ... EPERM"
    const resultLines = c
      .stdout()
      .split('\n')
      .filter((l) => /^\S+ \(exit \d+\)/.test(l));
    expect(resultLines).toEqual([
      'aborted (exit 130): Quit before the card device was opened; the adapter was not touched',
    ]);
    expect(c.stderr()).not.toMatch(/phase (review|opening)/);
    // no "phase summary: Ctrl-C or q exits.": there are no keys without a terminal
    expect(c.stderr()).not.toMatch(/phase summary|q exits/);
    expect(c.stderr()).not.toMatch(/EPERM|error in/);
    expect(await attempts()).toEqual([]);
  }, 30_000);
});

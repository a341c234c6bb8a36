/**
 * The built CLI with a state directory that cannot hold the journal or the lock: `flash --yes`
 * ends calmly with exit 3 (a preflight refusal: nothing touched), one result naming the problem
 * and the fix, no stack trace, and the simulated card device never opened. chmod does not stop
 * root, so the faults are paths: a folder where a file belongs, a path through a regular file.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';
import { sampleImage } from '../helpers/engine.js';

let imageDir: string;
let image: string;
let dir: string;

beforeAll(() => {
  imageDir = mkdtempSync(join(tmpdir(), 'cxl-statedir-image-'));
  image = join(imageDir, 'image.bin');
  writeFileSync(image, sampleImage(2_500_000));
});
afterAll(() => rmSync(imageDir, { recursive: true, force: true }));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A state directory whose simulator exists (so the card is there), then broken by `breakIt`. */
async function brokenStateDir(breakIt: (stateDir: string) => void): Promise<string> {
  dir = mkdtempSync(join(tmpdir(), 'cxl-statedir-'));
  expect((await runCli(['--simulate', '--state-dir', dir, 'list'])).code).toBe(0);
  breakIt(dir);
  return dir;
}

const lastEvent = (stateDir: string): string =>
  (
    JSON.parse(readFileSync(join(stateDir, 'simulator', 'model.json'), 'utf8')) as {
      lastEvent: string;
    }
  ).lastEvent;

const flash = (stateDir: string, ...extra: string[]): Promise<CliResult> =>
  runCli(['--simulate', '--state-dir', stateDir, 'flash', image, '--yes', ...extra]);

function expectCalm(r: CliResult): void {
  expect(r.signal).toBeNull();
  expect(r.stderr).not.toMatch(/internal error/);
  expect(`${r.stdout}${r.stderr}`).not.toMatch(/\n\s+at .+:\d+:\d+/); // no stack trace
}

function resultEvents(r: CliResult): { event: string; [k: string]: unknown }[] {
  const events = r.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { event: string });
  expect(events.at(-1)?.event).toBe('result');
  return events.filter((e) => e.event === 'result');
}

describe.each([
  [
    'journal.jsonl is a folder',
    (d: string) => mkdirSync(join(d, 'journal.jsonl')),
    'journal.jsonl',
  ],
  ['the lock is a folder', (d: string) => mkdirSync(join(d, 'lock')), `lock`],
])('flash --yes when %s', (_, breakIt, named) => {
  it('--json: one result event, exit 3, the device never opened', async () => {
    const stateDir = await brokenStateDir(breakIt);
    const before = lastEvent(stateDir);
    const r = await flash(stateDir, '--json');
    expectCalm(r);
    expect(r.code).toBe(3);
    const results = resultEvents(r);
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ outcome: 'refused', exitCode: 3 });
    expect(results[0]?.message).toContain(join(stateDir, named));
    expect(results[0]?.nextStep).toMatch(/--state-dir/);
    expect(r.stderr).toBe('');
    expect(lastEvent(stateDir)).toBe(before); // no open, so no reset
  });

  it('plain: the refusal and its fix on stdout, exit 3', async () => {
    const stateDir = await brokenStateDir(breakIt);
    const before = lastEvent(stateDir);
    const r = await flash(stateDir);
    expectCalm(r);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/^refused \(exit 3\): .*cannot be/m);
    expect(r.stdout).toContain(join(stateDir, named));
    expect(r.stdout).toMatch(/^next: .*--state-dir/m);
    expect(lastEvent(stateDir)).toBe(before);
  });
});

describe('a --state-dir under a regular file', () => {
  const underFile = (): string => {
    dir = mkdtempSync(join(tmpdir(), 'cxl-statedir-'));
    writeFileSync(join(dir, 'file'), 'a regular file');
    return join(dir, 'file', 'state');
  };

  it('--json: one result event naming the folder, exit 3', async () => {
    const r = await flash(underFile(), '--json');
    expectCalm(r);
    expect(r.code).toBe(3);
    const results = resultEvents(r);
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ outcome: 'refused', exitCode: 3 });
    expect(results[0]?.message).toMatch(/ENOTDIR/);
    expect(results[0]?.nextStep).toMatch(/--state-dir/);
  });

  it('plain: a message and a fix on stderr, exit 3', async () => {
    const r = await flash(underFile());
    expectCalm(r);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^cxl-flasher: .*ENOTDIR/m);
    expect(r.stderr).toMatch(/fix: .*--state-dir/);
  });
});

describe('reading commands with a journal that cannot be read', () => {
  const journalIsAFolder = (d: string): void => mkdirSync(join(d, 'journal.jsonl'));

  it('status shows the hardware and names the journal problem (exit 0)', async () => {
    const stateDir = await brokenStateDir(journalIsAFolder);
    const r = await runCli(['--simulate', '--state-dir', stateDir, 'status', '--json']);
    expectCalm(r);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as { cards: unknown[]; problems: string[] };
    expect(s.cards).toHaveLength(1);
    expect(s.problems.join('\n')).toMatch(/journal\.jsonl cannot be read/);
  });

  it.each([['history'], ['recover']])(
    '%s refuses with the path and the fix (exit 3)',
    async (cmd) => {
      const stateDir = await brokenStateDir(journalIsAFolder);
      const r = await runCli(['--simulate', '--state-dir', stateDir, cmd]);
      expectCalm(r);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(join(stateDir, 'journal.jsonl'));
      expect(r.stderr).toMatch(/fix: .*--state-dir/);
    },
  );
});

/**
 * A journal line that is JSON but not a record we wrote (a start record without `card` or
 * `image`, `image: null`, a numeric `sha256`) is skipped with a note naming the line, in every
 * command that reads the journal: never an `internal error`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseJournal } from '../../src/journal/journal.js';
import { Wizard } from '../../src/flash/wizard.js';
import { runCli } from '../helpers/cli.js';
import { engineRun, type EngineRun } from '../helpers/engine.js';

const goodStart = {
  type: 'start',
  id: 'good',
  time: '2026-11-25T07:00:00.000Z',
  pid: 1,
  user: 'ops',
  host: 'lpar7',
  sshClient: null,
  tty: null,
  toolVersion: '0.1.0',
  simulated: true,
  card: {
    name: 'card0',
    locationCode: 'U78CB.001.WZS0001-P1-C7',
    vendorId: 4116,
    deviceId: 1143,
    subsystemVendorId: 4116,
    subsystemId: 1231,
    pslRevision: 12,
  },
  image: { path: '/img/good.bin', size: 3_000_000, sha256: 'ab'.repeat(32), payloadOffset: 0 },
  callsPerPass: 3,
};
const without = (key: string) =>
  Object.fromEntries(Object.entries({ ...goodStart, id: `no-${key}` }).filter(([k]) => k !== key));

/** line 1 is good; lines 2-5 are the bad ones the issue names; line 6 a bad terminal record */
const BAD_LINES = [
  goodStart,
  without('card'),
  without('image'),
  { ...goodStart, id: 'null-image', image: null },
  { ...goodStart, id: 'num-sha', image: { ...goodStart.image, sha256: 42 } },
  { type: 'aborted', id: 'good', time: 't', phase: 'download', exitCode: 'x', message: 7 },
];
const JOURNAL = `${BAD_LINES.map((l) => JSON.stringify(l)).join('\n')}\n`;

describe('parseJournal', () => {
  it('keeps the good record and names each bad line with what is wrong', () => {
    const { records, problems } = parseJournal(JOURNAL);
    expect(records.map((r) => r.id)).toEqual(['good']);
    expect(problems.map((p) => [p.line, p.kind])).toEqual([
      [2, 'invalid-record'],
      [3, 'invalid-record'],
      [4, 'invalid-record'],
      [5, 'invalid-record'],
      [6, 'invalid-record'],
    ]);
    expect(problems[0]?.reason).toMatch(/card/);
    expect(problems[2]?.reason).toMatch(/image/);
    expect(problems[3]?.reason).toMatch(/image\.sha256/);
  });
});

describe('commands on a journal with bad records', () => {
  let dir: string;
  let run: EngineRun | null = null;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cxl-bad-records-'));
    writeFileSync(join(dir, 'journal.jsonl'), JOURNAL);
  });
  afterEach(async () => {
    await run?.dispose();
    run = null;
    rmSync(dir, { recursive: true, force: true });
  });

  it('history prints the good attempt and a note per bad line', async () => {
    const r = await runCli(['--simulate', '--state-dir', dir, 'history']);
    expect(r.stderr).not.toMatch(/internal error/i);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/good/);
    expect(r.stdout).toMatch(/note: journal line 2: invalid-record/);
    expect(r.stdout).toMatch(/note: journal line 5: invalid-record.*sha256/);
    const json = await runCli(['--simulate', '--state-dir', dir, 'history', '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).attempts).toHaveLength(1);
  });

  it('status and recover work', async () => {
    for (const args of [['status'], ['status', '--json'], ['recover'], ['recover', '--json']]) {
      const r = await runCli(['--simulate', '--state-dir', dir, ...args]);
      expect(r.stderr, args.join(' ')).not.toMatch(/internal error/i);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
  });

  it('the wizard starts and warns about each bad line', async () => {
    run = await engineRun([], { dir, interactive: true });
    const wizard = new Wizard(run.controller, run.services, { imageSearchDirs: [] });
    wizard.start();
    const warnings = run.events.filter((e) => e.event === 'warning').map((e) => e.message);
    expect(warnings.filter((w) => /journal line \d: .*ignored/.test(w))).toHaveLength(5);
  });
});

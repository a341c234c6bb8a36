import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const start = (id: string, time: string) => ({
  type: 'start',
  id,
  time,
  pid: 1,
  user: 'ops',
  host: 'lpar7',
  sshClient: null,
  tty: null,
  toolVersion: '0.1.0',
  simulated: true,
  card: {
    name: 'card0',
    locationCode: 'U78CB.001-P1-C7',
    vendorId: 4116,
    deviceId: 1143,
    subsystemVendorId: 4116,
    subsystemId: 1,
    pslRevision: 1,
  },
  image: { path: '/img/a.bin', size: 3_000_000, sha256: 'ab'.repeat(32), payloadOffset: 0 },
  callsPerPass: 3,
});

describe('cxl-flasher history', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cxl-history-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lists attempts most recent first, shows an unfinished one and tolerates a torn line', async () => {
    const lines = [
      start('a1', '2026-11-24T10:00:00.000Z'),
      {
        type: 'success',
        id: 'a1',
        time: 't',
        phase: 'reload',
        call: 2,
        errno: null,
        errnoName: null,
        hcall: null,
        largestGapMs: 4,
        exitCode: 0,
        message: 'flashed',
        durationsMs: { total: 61_000 },
      },
      start('b2', '2026-11-25T10:00:00.000Z'),
      {
        type: 'progress',
        id: 'b2',
        time: 't',
        phase: 'download',
        call: 1,
        calls: 3,
        bytes: 1,
        largestGapMs: 2,
      },
    ];
    writeFileSync(
      join(dir, 'journal.jsonl'),
      `${lines.map((l) => JSON.stringify(l)).join('\n')}\n{"type":"pro`,
    );
    const json = await runCli(['history', '--json', '--state-dir', dir]);
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.stdout) as {
      attempts: { id: string; outcome: string; phase: string; totalMs: number | null }[];
      problems: { kind: string }[];
    };
    expect(doc.attempts.map((a) => [a.id, a.outcome, a.phase])).toEqual([
      ['b2', 'unfinished', 'download'],
      ['a1', 'success', 'reload'],
    ]);
    expect(doc.attempts[1]?.totalMs).toBe(61_000);
    expect(doc.problems.map((p) => p.kind)).toEqual(['torn-last-line']);

    const text = await runCli(['history', '--state-dir', dir]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/UNFINISHED \(last seen in download\)/);
    expect(text.stdout).toMatch(/SUCCESS/);
    expect(text.stdout.indexOf('b2')).toBeLessThan(text.stdout.indexOf('a1'));
    expect(text.stdout).toMatch(/took 1:01/);
    expect(text.stdout).toMatch(/note: journal line 5: torn-last-line/);
  });

  it('says so when nothing is recorded', async () => {
    const r = await runCli(['history', '--state-dir', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('No flash attempts are recorded.');
  });
});

import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  attemptsOf,
  JOURNAL_FILE,
  JournalWriter,
  newAttemptId,
  parseJournal,
  readJournal,
} from '../../src/journal/journal.js';
import type { ProgressRecord, StartRecord, TerminalRecord } from '../../src/journal/records.js';

const start = (id: string): StartRecord => ({
  type: 'start',
  id,
  time: '2026-11-25T07:00:00.000Z',
  pid: 42,
  user: 'root',
  host: 'lpar1',
  sshClient: null,
  tty: null,
  toolVersion: '0.1.0',
  simulated: true,
  card: {
    name: 'card0',
    locationCode: 'U78CB.001.WZS0001-P1-C7',
    vendorId: 0x1014,
    deviceId: 0x0477,
    subsystemVendorId: 0x1014,
    subsystemId: 0x0001,
    pslRevision: 1,
  },
  image: { path: '/tmp/a.bin', size: 10, sha256: 'ab'.repeat(32), payloadOffset: 0 },
  callsPerPass: 1,
});
const progress = (id: string, call: number): ProgressRecord => ({
  type: 'progress',
  id,
  time: '2026-11-25T07:00:01.000Z',
  phase: 'download',
  call,
  calls: 4,
  bytes: call * 1000,
  largestGapMs: 3,
});
const terminal = (id: string, type: TerminalRecord['type']): TerminalRecord => ({
  type,
  id,
  time: '2026-11-25T07:00:02.000Z',
  phase: 'validate',
  call: 3,
  errno: null,
  errnoName: null,
  hcall: null,
  largestGapMs: 4,
  exitCode: 0,
  message: 'done',
});

describe('journal', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cxl-journal-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('appends records one per line and reads them back as attempts', async () => {
    const writer = await JournalWriter.open(dir);
    await writer.append(start('a'));
    void writer.append(progress('a', 1));
    void writer.append(progress('a', 2));
    await writer.append(terminal('a', 'success'));
    await writer.append(start('b'));
    await writer.append(progress('b', 1));
    await writer.close();
    const text = readFileSync(join(dir, JOURNAL_FILE), 'utf8');
    expect(text.split('\n').filter(Boolean)).toHaveLength(6);
    const { records, problems } = readJournal(dir);
    expect(problems).toEqual([]);
    const attempts = attemptsOf(records);
    expect(
      attempts.map((a) => [a.start.id, a.lastProgress?.call, a.terminal?.type ?? null]),
    ).toEqual([
      ['a', 2, 'success'],
      ['b', 1, null],
    ]);
  });

  it('tolerates and reports a torn last line, and the next writer starts on a new line', async () => {
    writeFileSync(
      join(dir, JOURNAL_FILE),
      `${JSON.stringify(start('a'))}\n{"type":"progress","id":"a","ti`,
    );
    const before = readJournal(dir);
    expect(before.records).toHaveLength(1);
    expect(before.problems).toEqual([
      { line: 2, kind: 'torn-last-line', text: '{"type":"progress","id":"a","ti' },
    ]);
    const writer = await JournalWriter.open(dir);
    await writer.append(terminal('a', 'failed'));
    await writer.close();
    const after = readJournal(dir);
    expect(after.records.map((r) => r.type)).toEqual(['start', 'failed']);
    expect(after.problems.map((p) => p.kind)).toEqual(['unparsable-line']);
  });

  it('keeps only the first terminal record of an attempt and ignores orphans', () => {
    const text = [start('a'), terminal('a', 'aborted'), terminal('a', 'success'), progress('zz', 1)]
      .map((r) => JSON.stringify(r))
      .join('\n');
    const attempts = attemptsOf(parseJournal(`${text}\n`).records);
    expect(attempts).toHaveLength(1);
    expect(attempts[0]?.terminal?.type).toBe('aborted');
  });

  it('reports non-record JSON lines and reads a missing journal as empty', () => {
    expect(parseJournal('[1,2]\n').problems[0]?.kind).toBe('unknown-record');
    expect(readJournal(join(dir, 'nothing-here'))).toEqual({ records: [], problems: [] });
  });

  it('keeps appending to an existing journal', async () => {
    appendFileSync(join(dir, JOURNAL_FILE), `${JSON.stringify(start('old'))}\n`);
    const writer = await JournalWriter.open(dir);
    await writer.append(start('new'));
    await writer.close();
    expect(attemptsOf(readJournal(dir).records).map((a) => a.start.id)).toEqual(['old', 'new']);
  });

  it('makes sortable attempt ids', () => {
    const id = newAttemptId(new Date('2026-11-25T07:15:30.123Z'), () => '3f9a2c1b');
    expect(id).toBe('20261125T071530Z-3f9a2c1b');
    expect(newAttemptId()).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{8}$/);
  });
});

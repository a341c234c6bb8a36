/**
 * Whether a state directory can hold the journal and the lock, looked at without writing, and
 * reading a journal that is not a regular file without hanging or crashing.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readJournal, tryReadJournal } from '../../src/journal/journal.js';
import { probeStateDir, stateDirProblem } from '../../src/journal/state-dir.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cxl-statedir-unit-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('probeStateDir', () => {
  it('accepts an empty folder, a folder still to be made, and one with a journal and lock', () => {
    expect(probeStateDir(dir)).toBeNull();
    expect(probeStateDir(join(dir, 'a', 'b'))).toBeNull();
    writeFileSync(join(dir, 'journal.jsonl'), '');
    writeFileSync(join(dir, 'lock'), '');
    expect(probeStateDir(dir)).toBeNull();
  });

  it('names a regular file on the way (ENOTDIR) and the way out', () => {
    writeFileSync(join(dir, 'file'), 'x');
    const problem = probeStateDir(join(dir, 'file', 'state'));
    expect(problem?.message).toMatch(/journal .*file\/state\/journal\.jsonl cannot be written/);
    expect(problem?.message).toMatch(/ENOTDIR/);
    expect(problem?.fix).toMatch(/--state-dir DIR/);
  });

  it('names a folder in the place of the journal or the lock (EISDIR)', () => {
    mkdirSync(join(dir, 'lock'));
    expect(probeStateDir(dir)?.message).toMatch(/The lock .*\/lock cannot be written: .*EISDIR/);
    mkdirSync(join(dir, 'journal.jsonl'));
    expect(probeStateDir(dir)?.message).toMatch(/The journal .*EISDIR/);
  });

  it('names a FIFO in the place of the journal, and a link to a device as a link', () => {
    execFileSync('mkfifo', [join(dir, 'journal.jsonl')]);
    expect(probeStateDir(dir)?.message).toMatch(/not a regular file \(a FIFO\)/);
    rmSync(join(dir, 'journal.jsonl'));
    symlinkSync('/dev/null', join(dir, 'journal.jsonl'));
    expect(probeStateDir(dir)?.message).toMatch(/journal .* is a symbolic link/);
  });

  it('says what a full disk and a read-only file system are', () => {
    const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), {
      code: 'ENOSPC',
    });
    expect(stateDirProblem(dir, 'journal', join(dir, 'journal.jsonl'), enospc).message).toBe(
      `The journal ${join(dir, 'journal.jsonl')} cannot be written: the disk is full (ENOSPC).`,
    );
    const erofs = Object.assign(new Error('x'), { code: 'EROFS' });
    expect(stateDirProblem(dir, 'lock', join(dir, 'lock'), erofs).message).toMatch(
      /read-only \(EROFS\)/,
    );
  });
});

describe('reading a journal that cannot be read', () => {
  it('a device or a FIFO in its place is refused at once, not read forever', () => {
    symlinkSync('/dev/zero', join(dir, 'journal.jsonl'));
    expect(() => readJournal(dir)).toThrow(/symbolic link/);
    expect(tryReadJournal(dir)).toMatchObject({ records: [], unreadable: expect.any(Error) });
    rmSync(join(dir, 'journal.jsonl'));
    execFileSync('mkfifo', [join(dir, 'journal.jsonl')]);
    expect(() => readJournal(dir)).toThrow(/not a regular file \(a FIFO\)/);
  });

  it('a folder in its place and a path through a file are answers, not exceptions', () => {
    mkdirSync(join(dir, 'journal.jsonl'));
    expect((tryReadJournal(dir).unreadable as NodeJS.ErrnoException).code).toBe('EISDIR');
    writeFileSync(join(dir, 'file'), 'x');
    expect((tryReadJournal(join(dir, 'file')).unreadable as NodeJS.ErrnoException).code).toBe(
      'ENOTDIR',
    );
    expect(tryReadJournal(join(dir, 'missing'))).toEqual({
      records: [],
      problems: [],
      unreadable: null,
    });
  });
});

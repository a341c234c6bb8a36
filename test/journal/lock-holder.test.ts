/** The lock's holder details are a file another process wrote: checked before they are used. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeLockHolder, readLockHolder } from '../../src/journal/lock.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cxl-lock-holder-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const HOLDER = {
  pid: 42,
  user: 'ops',
  host: 'lpar1',
  tty: null,
  sshClient: '10.0.0.5 5555 22',
  card: 'card0',
  phase: 'download',
  startedAt: 't',
  attemptId: null,
  updatedAt: 't',
};

describe('readLockHolder', () => {
  it('reads what a flasher wrote', () => {
    writeFileSync(join(dir, 'lock'), JSON.stringify(HOLDER));
    expect(describeLockHolder(readLockHolder(join(dir, 'lock')))).toMatch(
      /^pid 42 \(ops@lpar1 from 10\.0\.0\.5\), flashing card0, phase download/,
    );
  });

  for (const bad of [{ sshClient: 5 }, { user: null }, { card: ['x'] }, { phase: {} }]) {
    it(`treats details with a wrong field as unreadable: ${JSON.stringify(bad)}`, () => {
      writeFileSync(join(dir, 'lock'), JSON.stringify({ ...HOLDER, ...bad }));
      const holder = readLockHolder(join(dir, 'lock'));
      expect(holder).toBeNull();
      expect(describeLockHolder(holder)).toMatch(/unreadable/);
    });
  }
});

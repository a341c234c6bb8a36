import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemLibc } from '../../src/ioctl/libc.js';
import { acquireLock, LOCK_FILE, readLockHolder } from '../../src/journal/lock.js';

const holder = {
  pid: process.pid,
  user: 'root',
  host: 'lpar1',
  tty: '/dev/pts/3',
  sshClient: '10.0.0.5 51234 22',
  card: 'card0',
  phase: 'preflight',
  startedAt: '2026-11-25T07:00:00.000Z',
  attemptId: null,
};

describe('flasher lock (flock, kernel-released)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cxl-lock-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the holder into the lock file and updates the phase', () => {
    const r = acquireLock(dir, systemLibc(), holder);
    expect(r.acquired).toBe(true);
    if (!r.acquired) return;
    r.lock.update({ phase: 'download', attemptId: 'x' });
    const onDisk = readLockHolder(join(dir, LOCK_FILE));
    expect(onDisk).toMatchObject({
      pid: process.pid,
      phase: 'download',
      attemptId: 'x',
      sshClient: '10.0.0.5 51234 22',
    });
    r.lock.release();
    r.lock.release(); // idempotent
  });

  it('refuses a second holder in another process and tells it who holds the lock', () => {
    const r = acquireLock(dir, systemLibc(), holder);
    expect(r.acquired).toBe(true);
    // A separate process: flock locks belong to open file descriptions, so test across processes.
    const script = `
      import { acquireLock } from ${JSON.stringify(resolve('src/journal/lock.ts'))};
      import { systemLibc } from ${JSON.stringify(resolve('src/ioctl/libc.ts'))};
      const r = acquireLock(process.argv[1], systemLibc(), { ...JSON.parse(process.argv[2]), pid: process.pid });
      console.log(JSON.stringify(r.acquired ? { acquired: true } : { acquired: false, holder: r.holder }));
    `;
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script, dir, JSON.stringify(holder)],
      {
        encoding: 'utf8',
      },
    );
    expect(child.stderr).toBe('');
    const answer = JSON.parse(child.stdout) as {
      acquired: boolean;
      holder?: { pid: number; tty: string };
    };
    expect(answer.acquired).toBe(false);
    expect(answer.holder?.pid).toBe(process.pid);
    expect(answer.holder?.tty).toBe('/dev/pts/3');
    if (r.acquired) r.lock.release();
    // Released: the same child now gets it, and the stale details are overwritten.
    const again = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script, dir, JSON.stringify(holder)],
      {
        encoding: 'utf8',
      },
    );
    expect(JSON.parse(again.stdout)).toEqual({ acquired: true });
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).not.toContain(`"pid": ${process.pid},`);
  });
});

describe('currentLockHolder', () => {
  it('is null for a free or missing lock and leaves it free', async () => {
    const { currentLockHolder } = await import('../../src/journal/lock.js');
    const dir = mkdtempSync(join(tmpdir(), 'cxl-lock-'));
    try {
      expect(currentLockHolder(dir, systemLibc())).toBeNull();
      const r = acquireLock(dir, systemLibc(), holder);
      expect(r.acquired).toBe(true);
      if (r.acquired) r.lock.release();
      expect(currentLockHolder(dir, systemLibc())).toBeNull();
      const again = acquireLock(dir, systemLibc(), holder);
      expect(again.acquired).toBe(true);
      if (again.acquired) again.lock.release();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

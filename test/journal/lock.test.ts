import { spawnSync } from 'node:child_process';
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemLibc } from '../../src/ioctl/libc.js';
import {
  acquireLock,
  describeInProgress,
  FlasherLock,
  holderRunning,
  LOCK_FILE,
  readLockHolder,
} from '../../src/journal/lock.js';

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

describe('a state directory that cannot hold the lock', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cxl-lock-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a lock file that cannot be made throws with its code, holding nothing', () => {
    mkdirSync(join(dir, LOCK_FILE));
    expect(() => acquireLock(dir, systemLibc(), holder)).toThrow(
      expect.objectContaining({ code: 'EISDIR' }),
    );
    writeFileSync(join(dir, 'file'), 'x');
    expect(() => acquireLock(join(dir, 'file', 'state'), systemLibc(), holder)).toThrow(
      expect.objectContaining({ code: 'ENOTDIR' }),
    );
  });

  it('a failed update of the details is kept, never thrown: the flash goes on', () => {
    const path = join(dir, LOCK_FILE);
    const fd = openSync(path, 'a+');
    const lock = new FlasherLock(path, fd, { ...holder, updatedAt: holder.startedAt });
    closeSync(fd); // behind its back: every later write fails, as one to a full disk would
    expect(() => lock.update({ phase: 'download' })).not.toThrow();
    expect(lock.failedUpdate).toMatchObject({ code: 'EBADF' });
    expect(lock.details.phase).toBe('download');
  });
});

describe('holderRunning: is this unfinished attempt being run right now?', () => {
  const details = { ...holder, phase: 'validate', attemptId: 'a1', updatedAt: 't' };

  it('yes when a live holder runs that attempt', () => {
    expect(holderRunning(details, 'a1')).toBe(details);
    expect(describeInProgress(details)).toBe(`in progress (pid ${process.pid}, phase validate)`);
  });

  it('no for another attempt, no holder, or a holder whose process is gone', () => {
    expect(holderRunning(details, 'a2')).toBeNull();
    expect(holderRunning(null, 'a1')).toBeNull();
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    expect(holderRunning({ ...details, pid: Number(child.stdout) }, 'a1')).toBeNull();
    expect(holderRunning({ ...details, pid: 0 }, 'a1')).toBeNull(); // the unreadable-details stand-in
  });
});

/**
 * The StrictModes-style check of the folders the program keeps state in: what is accepted
 * (ours, root's, a sticky shared parent like /tmp, a root-owned link above) and what is refused
 * (a link as the folder, another user's folder or parent, a parent others can write that is not
 * sticky, a pseudo-filesystem), and folders made 0700 whatever the umask.
 */
import {
  chmodSync,
  chownSync,
  lchownSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ownedDir } from '../../src/safe-fs/owned-dir.js';
import { PathSafetyError } from '../../src/safe-fs/path-safety-error.js';

const asRoot = process.geteuid?.() === 0;
const OTHER = 4242;
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cxl-owned-dir-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const make = (path: string) => () => ownedDir(path, { create: true, what: 'state directory' });
const mode = (path: string): number => statSync(path).mode & 0o7777;

describe('ownedDir accepts', () => {
  it('a folder of ours, and makes missing ones 0700 even with umask 000', () => {
    expect(make(dir)()).toBe(dir);
    const old = process.umask(0);
    try {
      expect(make(join(dir, 'a', 'b'))()).toBe(join(dir, 'a', 'b'));
    } finally {
      process.umask(old);
    }
    expect(mode(join(dir, 'a'))).toBe(0o700);
    expect(mode(join(dir, 'a', 'b'))).toBe(0o700);
  });

  it('a sticky shared parent (as /tmp) and a link above owned by us', () => {
    const shared = join(dir, 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o1777);
    expect(make(join(shared, 'state'))()).toBe(join(shared, 'state'));
    symlinkSync(shared, join(dir, 'via'));
    expect(make(join(dir, 'via', 'state'))()).toBe(join(shared, 'state'));
  });

  it('without create: makes nothing, checks what exists', () => {
    const path = join(dir, 'missing', 'state');
    expect(ownedDir(path, { create: false, what: 'state directory' })).toBe(path);
    expect(() => statSync(join(dir, 'missing'))).toThrow(/ENOENT/);
  });
});

describe('ownedDir refuses (exit 3, with the fix)', () => {
  it('a symbolic link as the folder itself', () => {
    mkdirSync(join(dir, 'real'));
    symlinkSync(join(dir, 'real'), join(dir, 'link'));
    expect(make(join(dir, 'link'))).toThrow(/state directory .*link is a symbolic link/);
  });

  it('a folder others can write, naming `chmod go-w`', () => {
    chmodSync(dir, 0o777);
    const error = (() => {
      try {
        make(dir)();
      } catch (e) {
        return e as PathSafetyError;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(PathSafetyError);
    expect(error?.exitCode).toBe(3);
    expect(error?.message).toMatch(/mode 0777/);
    expect(error?.fix).toContain(`chmod go-w ${dir}`);
  });

  it('a parent others can write that is not sticky', () => {
    const open = join(dir, 'open');
    mkdirSync(open);
    chmodSync(open, 0o777);
    expect(make(join(open, 'state'))).toThrow(/above the state directory.*not sticky/);
  });

  it.skipIf(!asRoot)('a folder or a parent owned by another user, naming `chown`', () => {
    const theirs = join(dir, 'theirs');
    mkdirSync(theirs, { mode: 0o755 });
    chownSync(theirs, OTHER, OTHER);
    expect(make(theirs)).toThrow(/owned by uid 4242, not by you or root/);
    expect(make(join(theirs, 'state'))).toThrow(/folder .*theirs, above the state directory/);
    try {
      make(theirs)();
    } catch (e) {
      expect((e as PathSafetyError).fix).toMatch(/chown root .*theirs/);
    }
  });

  it.skipIf(!asRoot)("another user's link above the folder, in a folder they can write", () => {
    const shared = join(dir, 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o1777);
    mkdirSync(join(dir, 'target'));
    symlinkSync(join(dir, 'target'), join(shared, 'link'));
    lchownSync(join(shared, 'link'), OTHER, OTHER);
    expect(make(join(shared, 'link', 'state'))).toThrow(/owned by uid 4242/);
  });

  it('a pseudo-filesystem, at once', () => {
    expect(make('/proc')).toThrow(/pseudo-filesystem \(proc\)/);
    expect(make('/proc/cxl/state')).toThrow(/pseudo-filesystem \(proc\)/);
    expect(make('/sys/kernel')).toThrow(/pseudo-filesystem \(sysfs\)/);
  });

  it('a regular file on the way is ENOTDIR, not a safety refusal', () => {
    writeFileSync(join(dir, 'file'), 'x');
    expect(make(join(dir, 'file', 'state'))).toThrow(
      expect.objectContaining({ code: 'ENOTDIR' }) as Error,
    );
  });
});

/**
 * Files of ours opened without following links or waiting on FIFOs, folders in a checked tree
 * written and deleted without passing through a link, and stale sockets removed only when ours.
 */
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  closeSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { folderInside, removeInside, writeInside } from '../../src/safe-fs/inside.js';
import { openOwnedFile, readOwnedFile } from '../../src/safe-fs/owned-file.js';
import { removeOwnSocket } from '../../src/safe-fs/own-socket.js';

const asRoot = process.geteuid?.() === 0;
const { O_RDWR, O_CREAT, O_APPEND } = constants;
let dir: string;
let target: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cxl-owned-file-'));
  target = join(dir, 'target');
  writeFileSync(target, 'precious\n');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('openOwnedFile', () => {
  it('creates 0600 whatever the umask', () => {
    const old = process.umask(0);
    try {
      closeSync(openOwnedFile(join(dir, 'lock'), O_RDWR | O_CREAT | O_APPEND, 'lock'));
    } finally {
      process.umask(old);
    }
    expect(statSync(join(dir, 'lock')).mode & 0o777).toBe(0o600);
  });

  it('refuses a link, even a dangling one, and creates nothing through it', () => {
    symlinkSync(target, join(dir, 'lock'));
    expect(() => openOwnedFile(join(dir, 'lock'), O_RDWR | O_CREAT, 'lock')).toThrow(
      /lock .* is a symbolic link/,
    );
    symlinkSync(join(dir, 'new'), join(dir, 'journal'));
    expect(() => readOwnedFile(join(dir, 'journal'), 'journal')).toThrow(/symbolic link/);
    expect(existsSync(join(dir, 'new'))).toBe(false);
    expect(readFileSync(target, 'utf8')).toBe('precious\n');
  });

  it('refuses a FIFO at once instead of waiting for a writer', () => {
    execFileSync('mkfifo', [join(dir, 'lock')]);
    expect(() => openOwnedFile(join(dir, 'lock'), O_RDWR | O_CREAT, 'lock')).toThrow(
      /not a regular file \(a FIFO\)/,
    );
    expect(() => readOwnedFile(join(dir, 'lock'), 'lock')).toThrow(/a FIFO/);
  });

  it('refuses a file others can write, naming chmod', () => {
    writeFileSync(join(dir, 'journal'), '');
    chmodSync(join(dir, 'journal'), 0o666);
    expect(() => readOwnedFile(join(dir, 'journal'), 'journal')).toThrow(/mode 0666/);
  });

  it.skipIf(!asRoot)("refuses another user's file: its contents are not trusted", () => {
    writeFileSync(join(dir, 'journal'), '{}\n');
    chownSync(join(dir, 'journal'), 4242, 4242);
    expect(() => readOwnedFile(join(dir, 'journal'), 'journal')).toThrow(/owned by uid 4242/);
  });

  it('a missing file reads as null', () => {
    expect(readOwnedFile(join(dir, 'none'), 'journal')).toBeNull();
  });
});

describe('inside a checked folder', () => {
  it('deletes and writes nothing through a link on the way', () => {
    const victim = join(dir, 'victim');
    mkdirSync(join(victim, 'cxl'), { recursive: true });
    writeFileSync(join(victim, 'cxl', 'card0'), 'precious\n');
    const root = join(dir, 'root');
    mkdirSync(root);
    symlinkSync(victim, join(root, 'dev'));
    expect(() => removeInside(root, join(root, 'dev', 'cxl'), 'tree')).toThrow(/symbolic link/);
    expect(() => writeInside(root, join(root, 'dev', 'cxl', 'card0'), 'x', 0o644, 'tree')).toThrow(
      /symbolic link/,
    );
    expect(readFileSync(join(victim, 'cxl', 'card0'), 'utf8')).toBe('precious\n');
  });

  it('removing a link at the end removes the link only', () => {
    const root = join(dir, 'root');
    mkdirSync(root);
    symlinkSync(target, join(root, 'etc'));
    removeInside(root, join(root, 'etc'), 'tree');
    expect(existsSync(join(root, 'etc'))).toBe(false);
    expect(readFileSync(target, 'utf8')).toBe('precious\n');
  });

  it('never writes a file through a link, and sets modes exactly', () => {
    const root = join(dir, 'root');
    mkdirSync(root);
    symlinkSync(target, join(root, 'attr'));
    expect(() => writeInside(root, join(root, 'attr'), 'x', 0o444, 'tree')).toThrow(
      /symbolic link/,
    );
    const old = process.umask(0);
    try {
      folderInside(root, join(root, 'sys', 'class'), 'tree');
      writeInside(root, join(root, 'sys', 'a'), 'x', 0o444, 'tree');
    } finally {
      process.umask(old);
    }
    expect(statSync(join(root, 'sys')).mode & 0o777).toBe(0o755);
    expect(statSync(join(root, 'sys', 'a')).mode & 0o777).toBe(0o444);
    expect(readFileSync(target, 'utf8')).toBe('precious\n');
  });
});

describe('removeOwnSocket', () => {
  it('removes a socket of ours; refuses a link or a regular file, which stay', async () => {
    const path = join(dir, 'card0.sock');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(path, resolve));
    await new Promise<void>((resolve) => server.close(() => resolve()));
    writeFileSync(path, 'not a socket'); // close() removed it: plant a file instead
    expect(() => removeOwnSocket(path)).toThrow(/not a socket/);
    expect(readFileSync(path, 'utf8')).toBe('not a socket');
    rmSync(path);
    symlinkSync(target, path);
    expect(() => removeOwnSocket(path)).toThrow(/symbolic link/);
    rmSync(path);
    const again = createServer();
    await new Promise<void>((resolve) => again.listen(path, resolve));
    again.unref();
    removeOwnSocket(path);
    expect(existsSync(path)).toBe(false);
    again.close();
    removeOwnSocket(join(dir, 'missing.sock'));
  });
});

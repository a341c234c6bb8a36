/**
 * The path attacks of an unprivileged account against the state directory, planted in a scratch
 * directory and run through the built CLI on the simulator, once as root and once as an
 * unprivileged user (setpriv): every attack is refused (exit 3, a fix naming chown/chmod or the
 * link) or harmless, every scratch target stays byte-for-byte the same, and no run hangs.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  lchownSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleImage } from '../helpers/engine.js';
import { runCliAs, strangerUid, unprivilegedUser, type TestUser } from '../helpers/as-user.js';

const user = unprivilegedUser();
const runners: [string, TestUser | null | string][] = [
  ['root', process.geteuid?.() === 0 ? null : 'not running as root'],
  ['an unprivileged user', user],
];

/** Every file under `dir` (links as their text) with a hash of its bytes: the state to keep. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (path: string, rel: string): void => {
    const stats = lstatSync(path);
    if (stats.isSymbolicLink()) out[rel] = `link ${readFileSync(path, 'utf8').length}`;
    else if (stats.isDirectory())
      for (const name of readdirSync(path).sort()) walk(join(path, name), `${rel}/${name}`);
    else out[rel] = createHash('sha256').update(readFileSync(path)).digest('hex');
  };
  walk(dir, '');
  return out;
}

/** A victim folder with the entries the simulator's tree rebuild would delete. */
function plantVictim(dir: string): string {
  for (const sub of ['etc', 'proc', 'sys', 'dev/cxl', 'var/lib/cxl-flasher'])
    mkdirSync(join(dir, sub), { recursive: true });
  for (const file of ['etc/passwd', 'proc/x', 'sys/y', 'dev/cxl/card0', 'card0.sock'])
    writeFileSync(join(dir, file), `precious ${file}\n`);
  return dir;
}

// Say why the unprivileged half did not run, in the test report itself.
for (const [who, runner] of runners)
  if (typeof runner === 'string') it.skip(`path attacks as ${who}: skipped, ${runner}`, () => {});

describe.each(runners)('path attacks, run as %s', (_, runner) => {
  const skip = typeof runner === 'string' ? runner : null;
  const as: TestUser | null = typeof runner === 'string' ? null : runner;
  const stranger = strangerUid(as);
  let scratch: string;
  let state: string;
  let image: string;
  let target: string;
  let victim: string;
  let before: Record<string, string>;

  const cli = (args: readonly string[], env: NodeJS.ProcessEnv = {}, umask?: string) =>
    runCliAs(as, args, {
      env: { HOME: join(scratch, 'runner-home'), ...env },
      umask,
      timeoutMs: 15_000,
    });
  const sim = (...args: string[]) => cli(['--simulate', '--state-dir', state, ...args]);
  /** give a path to the runner, as if the runner had made it */
  const own = (path: string): void => {
    if (as) chownSync(path, as.uid, as.gid);
  };

  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'cxl-attack-'));
    chmodSync(scratch, 0o755);
    mkdirSync(join(scratch, 'runner-home'));
    own(join(scratch, 'runner-home'));
    state = join(scratch, 'state');
    mkdirSync(state, { mode: 0o700 });
    own(state);
    image = join(scratch, 'image.bin');
    writeFileSync(image, sampleImage(600_000));
    chmodSync(image, 0o644);
    target = join(scratch, 'target');
    writeFileSync(target, 'a root-owned file nobody may change\n');
    victim = plantVictim(join(scratch, 'victim'));
    before = snapshot(victim);
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  const targetUnchanged = (): void => {
    expect(readFileSync(target, 'utf8')).toBe('a root-owned file nobody may change\n');
    expect(snapshot(victim)).toEqual(before);
  };
  const refused = (r: {
    code: number | null;
    timedOut: boolean;
    stdout: string;
    stderr: string;
  }) => {
    expect(r.timedOut).toBe(false);
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/internal error|\n\s+at .+:\d+:\d+/);
    expect(r.code).toBe(3);
    return `${r.stdout}${r.stderr}`;
  };
  /** a state directory whose simulator exists, as the runner's own */
  const prepared = async (): Promise<void> => {
    const r = await sim('list');
    expect(r.code, r.stderr).toBe(0);
  };

  it.skipIf(skip)('a state directory made by another user in a sticky shared folder', async () => {
    const shared = join(scratch, 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o1777);
    const planted = join(shared, 'state');
    mkdirSync(planted, { mode: 0o755 });
    chownSync(planted, stranger, stranger);
    symlinkSync(victim, join(planted, 'simulator'));
    const out = refused(await cli(['--simulate', '--state-dir', planted, 'list']));
    expect(out).toContain(planted);
    expect(out).toMatch(new RegExp(`owned by .*${stranger}`));
    expect(out).toMatch(/chown /);
    expect(readdirSync(planted)).toEqual(['simulator']);
    targetUnchanged();
  });

  it.skipIf(skip)(
    'a state directory others can write: refused with the chmod that fixes it',
    async () => {
      chmodSync(state, 0o777);
      const out = refused(await sim('list'));
      expect(out).toContain(`chmod go-w ${state}`);
      expect(readdirSync(state)).toEqual([]);
    },
  );

  it.skipIf(skip)("the state dir another user's link in a sticky folder: refused", async () => {
    const shared = join(scratch, 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o1777);
    symlinkSync(state, join(shared, 'state'));
    lchownSync(join(shared, 'state'), stranger, stranger);
    const out = refused(await cli(['--simulate', '--state-dir', join(shared, 'state'), 'list']));
    expect(out).toMatch(/state directory .* is a symbolic link/);
    expect(readdirSync(state)).toEqual([]);
  });

  it.skipIf(skip)(
    'without --simulate too: history and status refuse a foreign state dir',
    async () => {
      const theirs = join(scratch, 'theirs');
      mkdirSync(theirs, { mode: 0o755 });
      writeFileSync(join(theirs, 'journal.jsonl'), '');
      chmodSync(join(theirs, 'journal.jsonl'), 0o644);
      execFileSync('chown', ['-R', `${stranger}:${stranger}`, theirs]);
      for (const command of ['history', 'status'])
        expect(refused(await cli(['--state-dir', theirs, command]))).toMatch(/owned by uid \d+/);
    },
  );

  it.skipIf(skip || as === null)(
    'without --simulate, the default under a HOME of another user: refused',
    async () => {
      const home = join(scratch, 'home');
      mkdirSync(join(home, '.local', 'state', 'cxl-flasher'), { recursive: true });
      execFileSync('chown', ['-R', `${stranger}:${stranger}`, home]);
      chmodSync(home, 0o755);
      expect(refused(await cli(['history'], { HOME: home }))).toMatch(/owned by uid \d+/);
    },
  );

  it.skipIf(skip)('`lock` a symlink: refused, the target untouched', async () => {
    await prepared();
    symlinkSync(target, join(state, 'lock'));
    const out = refused(await sim('flash', image, '--yes'));
    expect(out).toMatch(/lock.*symbolic link/);
    targetUnchanged();
  });

  it.skipIf(skip)('`journal.jsonl` a dangling symlink: nothing created through it', async () => {
    await prepared();
    const created = join(scratch, 'created-by-root');
    symlinkSync(created, join(state, 'journal.jsonl'));
    refused(await sim('flash', image, '--yes'));
    expect(existsSync(created)).toBe(false);
  });

  it.skipIf(skip)('`journal.jsonl` a symlink to a file: history and flash refuse it', async () => {
    await prepared();
    symlinkSync(target, join(state, 'journal.jsonl'));
    expect(refused(await sim('history'))).toMatch(/journal.*symbolic link/);
    refused(await sim('flash', image, '--yes'));
    targetUnchanged();
  });

  it.skipIf(skip)(
    '`simulator/flash.bin` a symlink: refused before the card is opened',
    async () => {
      await prepared();
      symlinkSync(target, join(state, 'simulator', 'flash.bin'));
      expect(refused(await sim('flash', image, '--yes'))).toMatch(/flash\.bin.*symbolic link/);
      targetUnchanged();
    },
  );

  it.skipIf(skip)('`simulator/model.json` a symlink: refused, the target untouched', async () => {
    await prepared();
    rmSync(join(state, 'simulator', 'model.json'));
    symlinkSync(target, join(state, 'simulator', 'model.json'));
    refused(await sim('list'));
    targetUnchanged();
  });

  it.skipIf(skip)('`simulator/root` a symlink to a folder: nothing deleted in it', async () => {
    await prepared();
    rmSync(join(state, 'simulator', 'root'), { recursive: true });
    symlinkSync(victim, join(state, 'simulator', 'root'));
    expect(refused(await sim('list'))).toMatch(/simulator\/root.*symbolic link/);
    targetUnchanged();
  });

  it.skipIf(skip)('a link inside the tree (`root/dev`): nothing deleted through it', async () => {
    await prepared();
    rmSync(join(state, 'simulator', 'root', 'dev'), { recursive: true });
    symlinkSync(victim, join(state, 'simulator', 'root', 'dev'));
    refused(await sim('list'));
    targetUnchanged();
  });

  it.skipIf(skip)('the run dir a symlink: no socket deleted through it', async () => {
    await prepared();
    const runDir = join(state, 'simulator', 'root', 'run', 'cxl-flasher');
    rmSync(runDir, { recursive: true, force: true });
    symlinkSync(victim, runDir);
    refused(await sim('flash', image, '--yes'));
    targetUnchanged();
  });

  it.skipIf(skip)(
    'a link as the card socket: left alone, the flash goes on without attach',
    async () => {
      await prepared();
      const runDir = join(state, 'simulator', 'root', 'run', 'cxl-flasher');
      symlinkSync(target, join(runDir, 'card0.sock'));
      const r = await sim('flash', image, '--yes');
      expect(r.timedOut).toBe(false);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stdout + r.stderr).toMatch(/attach will not work.*card0\.sock is a symbolic link/);
      expect(lstatSync(join(runDir, 'card0.sock')).isSymbolicLink()).toBe(true);
      targetUnchanged();
    },
  );

  it.skipIf(skip)('HOME belonging to another user (sudo keeping HOME): refused', async () => {
    const home = join(scratch, 'home');
    const planted = join(home, '.local', 'state', 'cxl-flasher', 'simulator');
    mkdirSync(planted, { recursive: true });
    symlinkSync(victim, join(planted, 'root'));
    for (const path of [home, join(home, '.local'), join(home, '.local', 'state')])
      chownSync(path, stranger, stranger);
    execFileSync('chown', ['-R', '-h', `${stranger}:${stranger}`, join(home, '.local')]);
    const out = refused(await cli(['--simulate', 'list'], { HOME: home }));
    expect(out).toMatch(/owned by/);
    expect(out).toMatch(/--state-dir/);
    targetUnchanged();
  });

  /**
   * A journal of ours whose last attempt died mid-download and left the adapter erased: the
   * case where `recover --yes` flashes the journaled image again. Returns the start record.
   */
  const interrupted = async (): Promise<Record<string, unknown>> => {
    const r = await sim('flash', image, '--yes');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const journal = join(state, 'journal.jsonl');
    const records = readFileSync(journal, 'utf8')
      .split('\n')
      .filter((line) => /"type":"start"|"type":"progress".*"phase":"download"/.test(line));
    writeFileSync(journal, `${records.join('\n')}\n`);
    const modelFile = join(state, 'simulator', 'model.json');
    const model = JSON.parse(readFileSync(modelFile, 'utf8')) as { image: { state: string } };
    model.image.state = 'erased';
    writeFileSync(modelFile, JSON.stringify(model));
    const verdict = await sim('recover', '--json');
    expect(JSON.parse(verdict.stdout)).toMatchObject({ next: { action: 'reflash' } });
    return JSON.parse(records[0] ?? '{}') as Record<string, unknown>;
  };
  const adapterImage = (): unknown =>
    (JSON.parse(readFileSync(join(state, 'simulator', 'model.json'), 'utf8')) as { image: unknown })
      .image;

  it.skipIf(skip)('a journal written by another user: recover --yes flashes nothing', async () => {
    const start = await interrupted();
    const evil = join(scratch, 'evil.bin');
    writeFileSync(evil, sampleImage(600_000, 9));
    chmodSync(evil, 0o644);
    const sha = createHash('sha256').update(readFileSync(evil)).digest('hex');
    const forged = { ...start, image: { ...(start.image as object), path: evil, sha256: sha } };
    const journal = join(state, 'journal.jsonl');
    writeFileSync(journal, `${JSON.stringify(forged)}\n`);
    chownSync(journal, stranger, stranger);
    chmodSync(journal, 0o644); // readable, as its writer would leave it for the victim
    const adapter = adapterImage();
    const out = refused(await sim('recover', '--yes'));
    expect(out).toMatch(/journal .* is owned by uid \d+, not by you or root/);
    expect(refused(await sim('history'))).not.toContain('evil.bin');
    expect(adapterImage()).toEqual(adapter);
  });

  it.skipIf(skip)(
    'recover --yes when the image changed since the journal: not flashed',
    async () => {
      await interrupted();
      const adapter = adapterImage();
      writeFileSync(image, sampleImage(600_000, 5));
      const r = await sim('recover', '--yes');
      expect(r.timedOut).toBe(false);
      expect(r.code).toBe(2);
      expect(`${r.stdout}${r.stderr}`).toMatch(/SHA-256|checksum/i);
      expect(adapterImage()).toEqual(adapter);
    },
  );

  it.skipIf(skip)('a FIFO as `lock`: every command ends, flash refuses', async () => {
    await prepared();
    execFileSync('mkfifo', [join(state, 'lock')]);
    own(join(state, 'lock'));
    expect(refused(await sim('flash', image, '--yes'))).toMatch(/lock.*not a regular file/);
    for (const command of ['list', 'status', 'history']) {
      const r = await sim(command);
      expect(r.timedOut, command).toBe(false);
    }
  });

  it.skipIf(skip)('pseudo-filesystems as the state dir: refused at once, no spinning', async () => {
    for (const dir of ['/proc', '/sys', '/proc/self']) {
      const started = Date.now();
      const out = refused(await cli(['--simulate', '--state-dir', dir, 'list']));
      expect(out).toMatch(/pseudo-filesystem/);
      expect(Date.now() - started).toBeLessThan(10_000);
    }
  });

  it.skipIf(skip)("--state-dir '' is a usage error", async () => {
    const r = await cli(['--simulate', '--state-dir', '', 'list']);
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--state-dir/);
  });

  it.skipIf(skip)('umask 000: folders 0700 and files 0600', async () => {
    rmSync(state, { recursive: true });
    const made = join(scratch, 'made');
    mkdirSync(made);
    own(made);
    state = join(made, 'state');
    const r = await cli(['--simulate', '--state-dir', state, 'flash', image, '--yes'], {}, '000');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const mode = (path: string): string => (statSync(path).mode & 0o7777).toString(8);
    for (const dir of [state, join(state, 'simulator'), join(state, 'simulator', 'root')])
      expect([dir, mode(dir)]).toEqual([dir, '700']);
    for (const file of ['journal.jsonl', 'lock', 'simulator/model.json', 'simulator/flash.bin'])
      expect([file, mode(join(state, file))]).toEqual([file, '600']);
  });
});

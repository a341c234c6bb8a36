/**
 * The published package: what `npm pack` puts in it, that its one runtime dependency is koffi's
 * native prebuild (no install script, so no npm warning), and that the built bundle runs a
 * simulated list, inspect and flash where no other library is installed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleImageBytes } from '../../src/sim/sample-image.js';

interface PackageJson {
  readonly name: string;
  readonly version: string;
  readonly dependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
  readonly scripts?: Record<string, string>;
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
const pkg = readJson<PackageJson>('package.json');
const koffiVersion = readJson<PackageJson>('node_modules/koffi/package.json').version;

interface PackReport {
  readonly size: number;
  readonly unpackedSize: number;
  readonly files: readonly { readonly path: string }[];
}

describe('the npm package', () => {
  it('depends at run time on nothing but the prebuilds of the koffi version it bundles', () => {
    expect(pkg.dependencies ?? {}).toEqual({});
    const optional = Object.entries(pkg.optionalDependencies ?? {});
    expect(optional.length).toBeGreaterThan(0);
    for (const [name, range] of optional) {
      expect(name).toMatch(/^@koromix\/koffi-linux-[a-z0-9]+$/);
      expect(range).toBe(koffiVersion);
    }
    expect(pkg.optionalDependencies).toHaveProperty('@koromix/koffi-linux-ppc64');
    // pinned, so a fresh install cannot bundle a koffi the prebuilds do not match
    expect(pkg.devDependencies?.koffi).toBe(koffiVersion);
  });

  it('installs nothing that has an install script', () => {
    for (const name of Object.keys(pkg.optionalDependencies ?? {})) {
      const dir = join('node_modules', name);
      if (!existsSync(dir)) continue; // another architecture's prebuild
      const scripts = readJson<PackageJson>(join(dir, 'package.json')).scripts ?? {};
      expect(Object.keys(scripts).filter((s) => /install|prepare/.test(s))).toEqual([]);
    }
  });

  it('packs the bundle, the man page and the notices, without source maps, under 600 KB', () => {
    // --ignore-scripts: prepack would rebuild dist/ under the other tests' feet
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      encoding: 'utf8',
    });
    const report = (JSON.parse(out) as PackReport[])[0] as PackReport;
    const paths = report.files.map((f) => f.path);
    expect(paths.filter((p) => p.endsWith('.map'))).toEqual([]);
    expect(paths).toEqual(
      expect.arrayContaining([
        'dist/cli.js',
        'dist/device-worker.js',
        'dist/THIRD-PARTY-NOTICES.txt',
        'man/cxl-flasher.1',
        'package.json',
      ]),
    );
    // tsc's per-module output stays out: the bundle is the program
    expect(
      paths.filter(
        (p) =>
          p.startsWith('dist/') && !/^dist\/(cli\.js|device-worker\.js|chunks\/|THIRD)/.test(p),
      ),
    ).toEqual([]);
    expect(report.size).toBeLessThan(600_000);
  });

  it('loads koffi only through src/ioctl/koffi.ts, which explains a missing prebuild', () => {
    const files = readdirSync('src', { recursive: true, encoding: 'utf8' }).map((f) => `src/${f}`);
    const importers = files.filter(
      (f) =>
        /\.tsx?$/.test(f) &&
        /^import (?!type )[^;]*from 'koffi'|import\('koffi'\)/m.test(readFileSync(f, 'utf8')),
    );
    expect(importers).toEqual(['src/ioctl/koffi.ts']);
  });

  it('names each bundled library with its licence', () => {
    const notices = readFileSync('dist/THIRD-PARTY-NOTICES.txt', 'utf8');
    for (const name of ['ink', 'react', 'commander', 'zustand', 'koffi']) {
      const version = readJson<PackageJson>(join('node_modules', name, 'package.json')).version;
      expect(notices).toContain(`\n${name} ${version} (`);
    }
  });
});

/**
 * A temporary folder with no node_modules in it or above it, where Node's resolution can find
 * nothing but what the test puts there (on a shared machine someone may link /tmp/node_modules).
 */
function folderAboveNoModules(): string {
  for (const base of [tmpdir(), '/var/tmp', '/dev/shm']) {
    const chain: string[] = [];
    for (let dir = base; chain.at(-1) !== dir; dir = dirname(dir)) chain.push(dir);
    if (existsSync(base) && !chain.some((dir) => existsSync(join(dir, 'node_modules'))))
      return base;
  }
  throw new Error('every temporary folder here has a node_modules above it');
}

describe('the built bundle alone', () => {
  let dir: string;
  let program: string;
  let stateDir: string;
  let image: string;

  beforeAll(() => {
    // what `npm install cxl-flasher` lays out: the package and the host's koffi prebuild, nothing else
    dir = mkdtempSync(join(folderAboveNoModules(), 'cxl-package-'));
    const root = join(dir, 'node_modules');
    const installed = join(root, 'cxl-flasher');
    mkdirSync(join(installed, 'dist'), { recursive: true });
    cpSync('dist/cli.js', join(installed, 'dist/cli.js'));
    cpSync('dist/chunks', join(installed, 'dist/chunks'), { recursive: true });
    cpSync('dist/device-worker.js', join(installed, 'dist/device-worker.js'));
    cpSync('package.json', join(installed, 'package.json'));
    const prebuild = `@koromix/koffi-${process.platform}-${process.arch}`;
    mkdirSync(join(root, '@koromix'));
    symlinkSync(resolve('node_modules', prebuild), join(root, prebuild));
    program = join(installed, 'dist/cli.js');
    stateDir = join(dir, 'state');
    image = join(dir, 'image.bin');
    writeFileSync(image, sampleImageBytes(4 * 1024 * 1024));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = (...args: string[]) =>
    spawnSync(process.execPath, [program, '--state-dir', stateDir, ...args], {
      encoding: 'utf8',
      env: { ...process.env, CI: '1', FORCE_COLOR: '0' },
      timeout: 60_000,
    });

  it('finds no library but koffi from where it is installed', () => {
    const from = createRequire(program);
    expect(() => from.resolve('ink')).toThrow();
    expect(() => from.resolve('react')).toThrow();
    expect(() => from.resolve(`@koromix/koffi-${process.platform}-${process.arch}`)).not.toThrow();
  });

  it('lists, inspects and flashes the simulated adapter', () => {
    const list = run('--simulate', 'list');
    expect(list.stderr).toBe('');
    expect(list.stdout).toMatch(/card0 .*\[SIMULATED\]/);
    expect(list.status).toBe(0);
    const inspect = run('--simulate', 'inspect', image);
    expect(inspect.stdout).toMatch(/size +4,194,304 bytes/);
    expect(inspect.status).toBe(0);
    const flash = run('--simulate=speed@50', 'flash', image, '--yes');
    expect(flash.stdout).toMatch(/success \(exit 0\): Flashed and validated/);
    expect(flash.status).toBe(0);
  });

  it('reports the versions of the libraries built into it', () => {
    const doctor = run('--simulate', 'doctor', '--json');
    expect(doctor.status).toBe(0);
    const versions = (JSON.parse(doctor.stdout) as { versions: Record<string, string> }).versions;
    for (const name of ['koffi', 'ink', 'react']) {
      const version = readJson<PackageJson>(join('node_modules', name, 'package.json')).version;
      expect(versions[name]).toBe(version);
    }
  });

  // the last test here: it takes the prebuild away
  it('without the koffi prebuild, lists but refuses to lock with exit 3, naming the package', () => {
    const prebuild = `@koromix/koffi-${process.platform}-${process.arch}`;
    rmSync(join(dir, 'node_modules', prebuild));
    expect(run('--simulate', 'list').status).toBe(0);
    const status = run('--simulate', 'status');
    expect(status.stderr).toContain(`(${prebuild}) is not installed`);
    expect(status.stderr).toMatch(
      /fix: Install @koromix\/koffi-.*@\d+\.\d+\.\d+ beside cxl-flasher/,
    );
    expect(status.stderr).not.toMatch(/internal error/);
    expect(status.status).toBe(3);
  });
});

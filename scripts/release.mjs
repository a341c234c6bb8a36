/**
 * `npm run release`: the offline bundles for partitions that reach no package registry. For each
 * architecture, release/cxl-flasher-VERSION-linux-ARCH.tar.gz holds one folder with
 *   bin/cxl-flasher      a launcher that runs the bundle with the system's Node (>= 20)
 *   lib/                 the esbuild bundle (dist/cli.js, dist/chunks/, dist/device-worker.js)
 *   node_modules/@koromix/koffi-linux-*   koffi's native prebuild for that architecture only
 *   share/man/man1/      the man page; share/doc/cxl-flasher/ README, events, licences;
 *   share/{bash-completion,zsh,fish}/    shell completions, when the program has a
 *                        `completion` command
 * Run after `npm run build` (npm run release builds first). `--arch x64` or `--arch ppc64le`
 * builds one; the default is both. koffi's prebuilds come from the npm registry through
 * `npm pack` (cached in .cache/release), so this runs on any host architecture.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

/** each release architecture: koffi's prebuild package and the folder in it that is glibc's */
const ARCHES = {
  x64: { prebuild: '@koromix/koffi-linux-x64', native: 'linux_x64' },
  ppc64le: { prebuild: '@koromix/koffi-linux-ppc64', native: 'linux_ppc64le' },
};

const { values } = parseArgs({
  options: {
    arch: { type: 'string', multiple: true },
    out: { type: 'string', default: 'release' },
  },
});
const arches = values.arch ?? Object.keys(ARCHES);
for (const arch of arches) {
  if (!(arch in ARCHES)) {
    console.error(`release: unknown --arch ${arch}; use ${Object.keys(ARCHES).join(' or ')}`);
    process.exit(2);
  }
}

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));
const pkg = readJson('package.json');
for (const file of [
  'dist/cli.js',
  'dist/chunks',
  'dist/device-worker.js',
  'dist/THIRD-PARTY-NOTICES.txt',
  'man/cxl-flasher.1',
]) {
  if (!existsSync(file)) {
    console.error(`release: ${file} is missing; run npm run build first (npm run release does)`);
    process.exit(1);
  }
}

/** koffi's prebuild package NAME@VERSION unpacked under .cache/release, fetched once */
function prebuild(name) {
  const version = pkg.optionalDependencies[name];
  const dir = join('.cache/release', `${name.replace('/', '+')}-${version}`);
  if (!existsSync(join(dir, 'package/package.json'))) {
    mkdirSync(dir, { recursive: true });
    const tgz = execFileSync('npm', ['pack', '--silent', `${name}@${version}`], {
      cwd: dir,
      encoding: 'utf8',
    })
      .trim()
      .split('\n')
      .pop();
    execFileSync('tar', ['xzf', tgz], { cwd: dir });
    rmSync(join(dir, tgz));
  }
  return join(dir, 'package');
}

/** `cxl-flasher completion SHELL`, when the program has that command; else null */
function completion(shell) {
  const r = spawnSync(process.execPath, ['dist/cli.js', 'completion', shell], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 20_000,
  });
  return r.status === 0 && r.stdout.trim() !== '' ? r.stdout : null;
}
const COMPLETIONS = {
  bash: 'share/bash-completion/completions/cxl-flasher',
  zsh: 'share/zsh/site-functions/_cxl-flasher',
  fish: 'share/fish/vendor_completions.d/cxl-flasher.fish',
};

/** the same bytes for the same commit: sorted names, root-owned, the commit's time */
function commitTime() {
  const r = spawnSync('git', ['log', '-1', '--format=%ct'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() !== '' ? r.stdout.trim() : '0';
}

rmSync(join(values.out, 'staging'), { recursive: true, force: true });
for (const arch of arches) {
  const name = `${pkg.name}-${pkg.version}-linux-${arch}`;
  const top = join(values.out, 'staging', name);
  const put = (from, to) => {
    mkdirSync(join(top, to, '..'), { recursive: true });
    cpSync(from, join(top, to), { recursive: true });
  };
  put('scripts/release-launcher.sh', 'bin/cxl-flasher');
  chmodSync(join(top, 'bin/cxl-flasher'), 0o755);
  put('dist/cli.js', 'lib/cli.js');
  put('dist/chunks', 'lib/chunks');
  put('dist/device-worker.js', 'lib/device-worker.js');
  // the program finds its name and version here, and Node reads lib/*.js as ES modules
  const { description, license, engines } = pkg;
  const manifest = {
    name: pkg.name,
    version: pkg.version,
    description,
    license,
    type: 'module',
    engines,
  };
  writeFileSync(join(top, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

  const { prebuild: prebuildName, native } = ARCHES[arch];
  const from = prebuild(prebuildName);
  const to = join('node_modules', prebuildName);
  for (const entry of readdirSync(from)) {
    // koffi's loader and the glibc addon; not the musl one, nor other files
    if (entry === 'package.json' || entry === 'index.js' || entry === native)
      put(join(from, entry), join(to, entry));
  }
  if (!existsSync(join(top, to, native, 'koffi.node'))) {
    console.error(`release: ${prebuildName} has no ${native}/koffi.node`);
    process.exit(1);
  }

  put('man/cxl-flasher.1', 'share/man/man1/cxl-flasher.1');
  put('README.md', 'share/doc/cxl-flasher/README.md');
  put('docs/events.md', 'share/doc/cxl-flasher/events.md');
  put('dist/THIRD-PARTY-NOTICES.txt', 'share/doc/cxl-flasher/THIRD-PARTY-NOTICES.txt');
  for (const [shell, path] of Object.entries(COMPLETIONS)) {
    const script = completion(shell);
    if (script !== null) {
      mkdirSync(join(top, path, '..'), { recursive: true });
      writeFileSync(join(top, path), script);
    }
  }

  const archive = join(values.out, `${name}.tar.gz`);
  execFileSync('tar', [
    '--create',
    '--use-compress-program=gzip -9n',
    '--file',
    archive,
    '--directory',
    join(values.out, 'staging'),
    '--sort=name',
    '--owner=0',
    '--group=0',
    '--numeric-owner',
    `--mtime=@${commitTime()}`,
    name,
  ]);
  console.log(archive);
}
rmSync(join(values.out, 'staging'), { recursive: true, force: true });

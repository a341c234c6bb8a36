/**
 * Bundles the compiled CLI (dist/cli.js, from tsc) in place: the entry and what it imports
 * statically become one file, each dynamic import (the wizard with Ink and React, the simulator,
 * the ioctl layer) one chunk under dist/chunks/ loaded only when needed. Node 20 has no module
 * compile cache, and resolving and compiling ~600 small ES modules was most of the wizard's
 * start-up (npm run bench: first frame).
 *
 * Every library is bundled, koffi's JavaScript too, so the package's only runtime dependency is
 * koffi's native prebuild for the host (@koromix/koffi-linux-*, an optional dependency with no
 * install script), which koffi's own loader finds with require() from the chunk. The licences of
 * what is bundled go to dist/THIRD-PARTY-NOTICES.txt. The device thread's entry is bundled on its
 * own as dist/device-worker.js.
 */
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));
const ourPackage = readJson('package.json');

// koffi's JavaScript refuses a native module of another version ("Mismatched native Koffi
// modules"): the bundled koffi and the prebuilds the package depends on must be one version.
const koffiVersion = readJson('node_modules/koffi/package.json').version;
for (const [name, range] of Object.entries(ourPackage.optionalDependencies ?? {})) {
  if (name.startsWith('@koromix/koffi-') && range !== koffiVersion) {
    console.error(
      `build-bundle: package.json wants ${name}@${range} but the bundled koffi is ${koffiVersion}; pin both to one version`,
    );
    process.exit(1);
  }
}

// chunks are named by hash: drop the last build's, and tsc's map of the entry it replaces
rmSync('dist/chunks', { recursive: true, force: true });
rmSync('dist/cli.js.map', { force: true });

/** the directory and package.json of the package that holds a bundled file */
function packageOf(file) {
  const parts = file.split('/');
  const at = parts.lastIndexOf('node_modules');
  if (at < 0) return null;
  const depth = parts[at + 1].startsWith('@') ? 3 : 2;
  const dir = parts.slice(0, at + depth).join('/');
  return { dir, json: readJson(join(dir, 'package.json')) };
}

/** the versions doctor reports for what is built in, read where each package was bundled from */
const reportedVersions = Object.fromEntries(
  ['koffi', 'ink', 'react'].map((name) => [
    name,
    readJson(`node_modules/${name}/package.json`).version,
  ]),
);

const result = await build({
  entryPoints: ['dist/cli.js'],
  outdir: 'dist',
  entryNames: '[name]',
  chunkNames: 'chunks/[name]-[hash]',
  allowOverwrite: true,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  metafile: true,
  // koffi's native prebuild: a .node addon, loaded by koffi's bundled loader at run time
  external: ['@koromix/*'],
  define: { CXL_BUNDLED_VERSIONS: JSON.stringify(JSON.stringify(reportedVersions)) },
  // Ink imports its devtools bridge only with DEV=true; the package is not a dependency.
  alias: { 'react-devtools-core': './scripts/devtools-stub.js' },
  // CommonJS dependencies (React) call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __cxlCreateRequire } from 'node:module'; const require = __cxlCreateRequire(import.meta.url);",
  },
  // the licence texts are collected below, once, instead of comments in each chunk
  legalComments: 'none',
  logLevel: 'warning',
});

function licenceText(dir) {
  const name = readdirSync(dir).find((f) => /^(licen[cs]e|copying)([-.][\w.-]+)?$/i.test(f));
  return name ? readFileSync(join(dir, name), 'utf8').trim() : null;
}

const bundled = new Map();
for (const file of Object.keys(result.metafile.inputs)) {
  const pkg = packageOf(file);
  if (pkg && !bundled.has(pkg.dir)) bundled.set(pkg.dir, pkg);
}
const notices = [...bundled.values()]
  .sort((a, b) => a.json.name.localeCompare(b.json.name))
  .map(({ dir, json }) => {
    const text = licenceText(dir) ?? `Licensed under ${json.license ?? 'see the package'}.`;
    return `${json.name} ${json.version} (${json.license ?? 'unknown licence'})\n\n${text}\n`;
  });
writeFileSync(
  'dist/THIRD-PARTY-NOTICES.txt',
  `${ourPackage.name} ${ourPackage.version} bundles the following packages into dist/.\n\n` +
    notices.join(`\n${'-'.repeat(72)}\n\n`),
);

// The device thread's code: a bundle of its own (dist/device-worker.js), started as a Worker.
await build({
  entryPoints: ['dist/flash/device-thread/device-worker.js'],
  outfile: 'dist/device-worker.js',
  allowOverwrite: true,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['@koromix/*'],
  define: { CXL_BUNDLED_VERSIONS: JSON.stringify(JSON.stringify(reportedVersions)) },
  legalComments: 'none',
  banner: {
    js: "import { createRequire as __cxlCreateRequire } from 'node:module'; const require = __cxlCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});

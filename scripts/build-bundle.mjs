/**
 * Bundles the compiled CLI (dist/cli.js, from tsc) in place: the entry and what it imports
 * statically become one file, each dynamic import (the wizard with Ink and React, the simulator,
 * the ioctl layer) one chunk under dist/chunks/ loaded only when needed. Node 20 has no module
 * compile cache, and resolving and compiling ~600 small ES modules was most of the wizard's
 * start-up (npm run bench: first frame). koffi stays external: it loads a native addon. The
 * device thread's entry is bundled on its own as dist/device-worker.js.
 */
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

// chunks are named by hash: drop the last build's, and tsc's map of the entry it replaces
rmSync('dist/chunks', { recursive: true, force: true });
rmSync('dist/cli.js.map', { force: true });

await build({
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
  external: ['koffi'],
  // Ink imports its devtools bridge only with DEV=true; the package is not a dependency.
  alias: { 'react-devtools-core': './scripts/devtools-stub.js' },
  // CommonJS dependencies (React) call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __cxlCreateRequire } from 'node:module'; const require = __cxlCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});

// The device thread's code: a bundle of its own (dist/device-worker.js), started as a Worker.
await build({
  entryPoints: ['dist/flash/device-thread/device-worker.js'],
  outfile: 'dist/device-worker.js',
  allowOverwrite: true,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['koffi'],
  banner: {
    js: "import { createRequire as __cxlCreateRequire } from 'node:module'; const require = __cxlCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});

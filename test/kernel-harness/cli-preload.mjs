/**
 * The preload the built CLI is started with (`node --import ./test/kernel-harness/cli-preload.mjs
 * dist/cli.js ...`): it loads cli-preload.ts through tsx. A worker thread inherits the preload
 * but not a loader given with --import, so the device thread loads the seam this way too.
 */
import { tsImport } from 'tsx/esm/api';

await tsImport('./cli-preload.ts', import.meta.url);

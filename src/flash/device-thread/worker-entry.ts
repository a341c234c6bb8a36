/**
 * Where the device thread's code is. Built, it is `dist/device-worker.js` (a bundle of its own,
 * beside the CLI's bundle, whose chunks sit one folder lower) or, unbundled, the compiled file
 * beside this one. From the TypeScript sources (the tests) the worker loads tsx first.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface WorkerEntry {
  /** a file URL, or code to evaluate */
  readonly entry: URL | string;
  readonly eval: boolean;
}

export function deviceWorkerEntry(here: string = import.meta.url): WorkerEntry {
  if (here.endsWith('.ts'))
    return { entry: typeScriptWorkerCode(new URL('./device-worker.ts', here), here), eval: true };
  for (const relative of ['./device-worker.js', '../device-worker.js']) {
    const url = new URL(relative, here);
    if (existsSync(url)) return { entry: url, eval: false };
  }
  throw new Error(`the device thread's code (device-worker.js) is missing beside ${here}`);
}

/** Code for `new Worker(code, { eval: true })` that runs a TypeScript file through tsx. */
export function typeScriptWorkerCode(source: URL, parent: string): string {
  // the package's ESM build of the same API (`require.resolve` names the CommonJS one)
  const api = createRequire(fileURLToPath(parent)).resolve('tsx/esm/api');
  const tsx = pathToFileURL(api.replace(/\.cjs$/, '.mjs')).href;
  return `import(${JSON.stringify(tsx)}).then((tsx) => tsx.tsImport(${JSON.stringify(source.href)}, ${JSON.stringify(parent)}));`;
}

/**
 * Builds dist/ before the tests when it is missing or older than src/, so tests that run the
 * built CLI never test stale code (npm test builds first anyway).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export default function setup(): void {
  const built = statSync('dist/cli.js', { throwIfNoEntry: false })?.mtimeMs ?? 0;
  if (built < newestMtime('src')) {
    execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
  }
  const page = statSync('man/cxl-flasher.1', { throwIfNoEntry: false })?.mtimeMs ?? 0;
  if (page < statSync('docs/cxl-flasher.1.md').mtimeMs) {
    execFileSync(process.execPath, ['scripts/build-man.mjs'], { stdio: 'inherit' });
  }
}

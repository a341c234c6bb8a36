// Builds man/cxl-flasher.1 from docs/cxl-flasher.1.md with marked-man (a dev dependency).
// A production install has no marked-man: the published package already carries the page.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
let bin;
try {
  // the package exports only its API and package.json; the CLI sits beside them
  bin = join(dirname(require.resolve('marked-man/package.json')), 'bin', 'marked-man.js');
} catch {
  console.error('build-man: marked-man is not installed; man/cxl-flasher.1 not rebuilt');
  process.exit(0);
}
const page = execFileSync(
  process.execPath,
  [bin, '--no-breaks', '--manual', 'cxl-flasher manual', 'docs/cxl-flasher.1.md'],
  {
    encoding: 'utf8',
  },
);
mkdirSync('man', { recursive: true });
writeFileSync('man/cxl-flasher.1', page);

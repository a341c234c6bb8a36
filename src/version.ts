import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

interface PackageJson {
  readonly name: string;
  readonly version: string;
}

/** This package's package.json (one level above both src/ and dist/). */
export const packageInfo: PackageJson = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
) as PackageJson;

/** The installed version of a dependency, read from its package.json without loading it. */
export function dependencyVersion(name: string): string {
  try {
    const require = createRequire(import.meta.url);
    let dir = dirname(require.resolve(name));
    for (let i = 0; i < 5; i++) {
      try {
        const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
        if (pkg.name === name) return pkg.version;
      } catch {
        // keep walking up
      }
      dir = dirname(dir);
    }
  } catch {
    // not installed
  }
  return 'not installed';
}

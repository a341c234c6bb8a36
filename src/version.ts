import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface PackageJson {
  readonly name: string;
  readonly version: string;
}

/**
 * This package's package.json: the nearest one above this module that is ours (src/version.ts,
 * dist/version.js and the bundle's dist/chunks/*.js sit at different depths).
 */
export const packageInfo: PackageJson = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
      if (pkg.name === 'cxl-flasher') return pkg;
    } catch {
      // keep walking up
    }
    dir = dirname(dir);
  }
  throw new Error('cxl-flasher: package.json not found above the program');
})();

/**
 * The versions of the libraries built into the bundle: scripts/build-bundle.mjs defines
 * CXL_BUNDLED_VERSIONS (a JSON string) there, where no node_modules holds them. tsc's output leaves it undefined.
 */
declare const CXL_BUNDLED_VERSIONS: string | undefined;
const bundledVersions = (
  typeof CXL_BUNDLED_VERSIONS === 'undefined' ? {} : JSON.parse(CXL_BUNDLED_VERSIONS)
) as Readonly<Record<string, string>>;

/**
 * The version of a library: the one built into the bundle, or else the installed one, read from
 * its package.json without loading it.
 */
export function dependencyVersion(name: string): string {
  const built = bundledVersions[name];
  if (built !== undefined) return built;
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

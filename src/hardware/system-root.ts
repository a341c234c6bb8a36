/**
 * Every path the program reads or writes under /sys, /proc, /dev, /run and /var goes through a
 * SystemRoot (docs/architecture.md §2), so the simulator and the tests can point it at a temp tree.
 */
import { accessSync, constants } from 'node:fs';
import { join, relative, sep } from 'node:path';

export class SystemRoot {
  constructor(readonly prefix: string = '/') {}

  /** `/sys/class/cxl` -> `<prefix>/sys/class/cxl` */
  path(absolute: string): string {
    if (!absolute.startsWith('/'))
      throw new Error(`SystemRoot.path needs an absolute path: ${absolute}`);
    return this.prefix === '/' ? absolute : join(this.prefix, absolute);
  }

  /** `<prefix>/sys/class/cxl` -> `/sys/class/cxl`; null when the path is outside the prefix. */
  unprefixed(path: string): string | null {
    if (this.prefix === '/') return path;
    const rel = relative(this.prefix, path);
    if (rel === '') return '/';
    if (rel.startsWith('..') || rel.startsWith(sep)) return null;
    return `/${rel.split(sep).join('/')}`;
  }

  get isReal(): boolean {
    return this.prefix === '/';
  }

  /**
   * Whether this user may open `path` (already prefixed) for reading and writing. docs/kernel-contract.md
   * §4.1: the node's mode is the only gate, so access(2) answers it on a real system. The
   * simulator overrides this: its nodes are plain files and CI runs as root, where access(2)
   * always succeeds, so it answers for the simulated caller instead.
   */
  canOpenReadWrite(path: string): boolean {
    try {
      accessSync(path, constants.R_OK | constants.W_OK);
      return true;
    } catch {
      return false;
    }
  }
}

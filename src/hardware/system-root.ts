/**
 * Every path the program reads or writes under /sys, /proc, /dev, /run and /var goes through a
 * SystemRoot (design.md §2), so the simulator and the tests can point it at a temp tree.
 */
import { join } from 'node:path';

export class SystemRoot {
  constructor(readonly prefix: string = '/') {}

  /** `/sys/class/cxl` -> `<prefix>/sys/class/cxl` */
  path(absolute: string): string {
    if (!absolute.startsWith('/'))
      throw new Error(`SystemRoot.path needs an absolute path: ${absolute}`);
    return this.prefix === '/' ? absolute : join(this.prefix, absolute);
  }

  get isReal(): boolean {
    return this.prefix === '/';
  }
}

/**
 * Writes the simulator's fake system root: files, big-endian DT cells, and RELATIVE symlinks,
 * so every link resolves inside the prefix the way real sysfs links resolve inside /sys.
 */
import { chmodSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import type { SystemRoot } from '../hardware/system-root.js';

export class TreeWriter {
  constructor(readonly root: SystemRoot) {}

  file(path: string, content: string | Buffer = '', mode = 0o644): this {
    const full = this.root.path(path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
    chmodSync(full, mode);
    return this;
  }

  /** A sysfs attribute: text with the trailing newline the kernel prints. */
  attr(path: string, value: string | number, mode = 0o444): this {
    return this.file(path, `${value}\n`, mode);
  }

  /** §5: a u32 DT property is one 4-byte big-endian cell. */
  cell(path: string, ...values: number[]): this {
    const buffer = Buffer.alloc(4 * values.length);
    values.forEach((v, i) => buffer.writeUInt32BE(v >>> 0, i * 4));
    return this.file(path, buffer);
  }

  /** A DT string property, NUL-terminated. */
  string(path: string, value: string): this {
    return this.file(path, Buffer.from(`${value}\0`, 'utf8'));
  }

  mkdir(path: string): this {
    mkdirSync(this.root.path(path), { recursive: true });
    return this;
  }

  /** A relative symlink at `path` pointing at the in-root absolute `target`. */
  link(path: string, target: string): this {
    const full = this.root.path(path);
    mkdirSync(dirname(full), { recursive: true });
    rmSync(full, { force: true });
    symlinkSync(relative(dirname(full), this.root.path(target)), full);
    return this;
  }

  /** A symlink whose text is exactly `text`: /proc/PID/fd entries name unprefixed paths. */
  rawLink(path: string, text: string): this {
    const full = this.root.path(path);
    mkdirSync(dirname(full), { recursive: true });
    rmSync(full, { force: true });
    symlinkSync(text, full);
    return this;
  }

  remove(path: string): this {
    rmSync(this.root.path(path), { recursive: true, force: true });
    return this;
  }
}

/**
 * Writes the simulator's fake system root: files, big-endian DT cells, and RELATIVE symlinks,
 * so every link resolves inside the prefix the way real sysfs links resolve inside /sys. Every
 * write and delete stays inside the root: a link planted on the way is refused, never followed.
 */
import { rmSync, symlinkSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import type { SystemRoot } from '../hardware/system-root.js';
import { folderInside, removeInside, writeInside, type SeenFolders } from '../safe-fs/inside.js';

const TREE = 'simulator tree';

export class TreeWriter {
  constructor(
    readonly root: SystemRoot,
    /**
     * For one rebuild of the whole tree: folders already walked, each checked once rather than
     * per file. Left out by a long-lived writer, which another process's rebuild may outlive.
     */
    private readonly seen?: SeenFolders,
  ) {}

  file(path: string, content: string | Buffer = '', mode = 0o644): this {
    writeInside(this.root.prefix, this.root.path(path), content, mode, TREE, this.seen);
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
    folderInside(this.root.prefix, this.root.path(path), TREE, this.seen);
    return this;
  }

  /** A relative symlink at `path` pointing at the in-root absolute `target`. */
  link(path: string, target: string): this {
    const full = this.replaceable(path);
    symlinkSync(relative(dirname(full), this.root.path(target)), full);
    return this;
  }

  /** A symlink whose text is exactly `text`: /proc/PID/fd entries name unprefixed paths. */
  rawLink(path: string, text: string): this {
    symlinkSync(text, this.replaceable(path));
    return this;
  }

  remove(path: string): this {
    removeInside(this.root.prefix, this.root.path(path), TREE, this.seen);
    return this;
  }

  /** `path` made free for a new entry: its folders real, an old file or link there removed. */
  private replaceable(path: string): string {
    const full = this.root.path(path);
    folderInside(this.root.prefix, dirname(full), TREE, this.seen);
    rmSync(full, { force: true });
    return full;
  }
}

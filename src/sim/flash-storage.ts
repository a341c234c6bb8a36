/**
 * The adapter's flash: the stream the hypervisor programmed (the 128-byte header, then the
 * image), kept in `<dir>/flash.bin` so it survives the process like a real adapter's flash.
 * Opened only without following a link and only when it is a regular file of ours (0600).
 */
import { createHash } from 'node:crypto';
import { closeSync, constants, lstatSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { openOwnedFile } from '../safe-fs/owned-file.js';

const { O_RDONLY, O_RDWR, O_WRONLY, O_CREAT, O_TRUNC, O_APPEND } = constants;
const WHAT = 'simulated flash';

export class FlashStorage {
  readonly path: string;
  /** where `matches` reads: one buffer for every call, not a new megabyte per call */
  private scratch = Buffer.alloc(0);

  constructor(dir: string) {
    this.path = join(dir, 'flash.bin');
  }

  /** Throws a PathSafetyError when flash.bin exists and is not a regular file of ours. */
  check(): void {
    try {
      lstatSync(this.path);
    } catch {
      return; // none yet: made 0600 on the first write
    }
    closeSync(openOwnedFile(this.path, O_RDONLY, WHAT));
  }

  get length(): number {
    try {
      const stats = lstatSync(this.path);
      return stats.isFile() ? stats.size : 0;
    } catch {
      return 0;
    }
  }

  private withFile<T>(flags: number, work: (fd: number) => T): T {
    const fd = openOwnedFile(this.path, flags, WHAT);
    try {
      return work(fd);
    } finally {
      closeSync(fd);
    }
  }

  erase(): void {
    this.withFile(O_WRONLY | O_CREAT | O_TRUNC, () => undefined);
  }

  append(bytes: Uint8Array): void {
    this.withFile(O_WRONLY | O_CREAT | O_APPEND, (fd) => writeSync(fd, bytes));
  }

  /** Up to `length` bytes from `offset`; shorter at the end of what was programmed. */
  read(offset: number, length: number): Buffer {
    const available = Math.max(0, Math.min(length, this.length - offset));
    const buffer = Buffer.alloc(available);
    if (available === 0) return buffer;
    this.withFile(O_RDONLY, (fd) => readSync(fd, buffer, 0, available, offset));
    return buffer;
  }

  /**
   * Whether `bytes` are what was programmed at `offset`, all of them. The validate pass compares
   * a megabyte per call: reading it into a buffer made per call would make the device thread
   * collect that garbage, and a collection between two calls is a gap the program did not make.
   */
  matches(offset: number, bytes: Uint8Array): boolean {
    if (this.scratch.length < bytes.length) this.scratch = Buffer.alloc(bytes.length);
    const view = this.scratch.subarray(0, bytes.length);
    const got = this.withFile(O_RDONLY, (fd) => readSync(fd, view, 0, bytes.length, offset));
    return got === bytes.length && view.equals(bytes);
  }

  /** Flip one programmed byte (the validate-mismatch scenario: a flash cell that did not take). */
  corrupt(offset: number): void {
    const [old] = this.read(offset, 1);
    if (old === undefined) return;
    this.withFile(O_RDWR, (fd) => writeSync(fd, Buffer.from([old ^ 0xff]), 0, 1, offset));
  }

  sha256(): string {
    const hash = createHash('sha256');
    const chunk = 4 * 1024 * 1024;
    for (let offset = 0; offset < this.length; offset += chunk)
      hash.update(this.read(offset, chunk));
    return hash.digest('hex');
  }
}

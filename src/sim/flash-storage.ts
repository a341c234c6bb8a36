/**
 * The adapter's flash: the stream the hypervisor programmed (the 128-byte header, then the
 * image), kept in `<dir>/flash.bin` so it survives the process like a real adapter's flash.
 */
import { createHash } from 'node:crypto';
import {
  appendFileSync,
  closeSync,
  openSync,
  readSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';

export class FlashStorage {
  readonly path: string;

  constructor(dir: string) {
    this.path = join(dir, 'flash.bin');
  }

  get length(): number {
    try {
      return statSync(this.path).size;
    } catch {
      return 0;
    }
  }

  erase(): void {
    writeFileSync(this.path, '');
  }

  append(bytes: Uint8Array): void {
    appendFileSync(this.path, bytes);
  }

  /** Up to `length` bytes from `offset`; shorter at the end of what was programmed. */
  read(offset: number, length: number): Buffer {
    const available = Math.max(0, Math.min(length, this.length - offset));
    const buffer = Buffer.alloc(available);
    if (available === 0) return buffer;
    const fd = openSync(this.path, 'r');
    try {
      readSync(fd, buffer, 0, available, offset);
    } finally {
      closeSync(fd);
    }
    return buffer;
  }

  /** Flip one programmed byte (the validate-mismatch scenario: a flash cell that did not take). */
  corrupt(offset: number): void {
    const [old] = this.read(offset, 1);
    if (old === undefined) return;
    const fd = openSync(this.path, 'r+');
    try {
      writeSync(fd, Buffer.from([old ^ 0xff]), 0, 1, offset);
    } finally {
      closeSync(fd);
    }
  }

  sha256(): string {
    const hash = createHash('sha256');
    const chunk = 4 * 1024 * 1024;
    for (let offset = 0; offset < this.length; offset += chunk)
      hash.update(this.read(offset, chunk));
    return hash.digest('hex');
  }
}

/** Temporary folders and image files that look like what the program is given in real life. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function tempDir(prefix = 'cxl-image-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A raw Xilinx .bin: 0xFF padding, the bus-width pattern, the sync word, then random data. */
export function xilinxBin(size: number): Buffer {
  const preamble = Buffer.from(
    'ffffffffffffffffffffffffffffffff000000bb11220044ffffffffffffffffaa995566',
    'hex',
  );
  if (size < preamble.length) return randomBytes(size);
  return Buffer.concat([preamble, randomBytes(size - preamble.length)]);
}

/** A 128-byte header as a file embeds it, written field by field with plain Buffer calls. */
export function embeddedHeader(
  ids: readonly [number, number, number, number],
  length: number,
): Buffer {
  const header = Buffer.alloc(128);
  header.writeUInt16BE(1, 0);
  ids.forEach((id, i) => header.writeUInt16BE(id, 8 + 2 * i));
  header.writeBigUInt64BE(128n, 16);
  header.writeBigUInt64BE(BigInt(length), 24);
  return header;
}

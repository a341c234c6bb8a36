/**
 * The sample image `npm start` offers on the simulated adapter: a raw Xilinx-style bitstream
 * (dummy words, bus-width pattern, sync word, then deterministic bytes) of 64 MiB, the size for
 * which the simulator's timing model takes about a minute at speed 1.
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SAMPLE_IMAGE_SIZE = 64 * 1024 * 1024;
export const SAMPLE_IMAGE_NAME = 'sample-64MiB.bin';

const PREAMBLE = Buffer.from(
  'ffffffffffffffffffffffffffffffff000000bb11220044ffffffffffffffffaa995566',
  'hex',
);

export function sampleImageBytes(size: number = SAMPLE_IMAGE_SIZE): Buffer {
  const image = Buffer.allocUnsafe(size);
  PREAMBLE.copy(image, 0, 0, Math.min(size, PREAMBLE.length));
  // xorshift32, four bytes at a time: deterministic and fast enough for 64 MiB.
  let x = 0x2545f491;
  let i = PREAMBLE.length;
  for (; i + 4 <= size; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    image.writeUInt32LE(x >>> 0, i);
  }
  for (; i < size; i++) image[i] = i & 0xff;
  return image;
}

/** The sample's path in the simulator folder, written once (atomically) when missing. */
export function ensureSampleImage(simulatorDir: string): string {
  const path = join(simulatorDir, SAMPLE_IMAGE_NAME);
  if (!existsSync(path)) {
    mkdirSync(simulatorDir, { recursive: true });
    const temp = `${path}.${process.pid}.tmp`;
    writeFileSync(temp, sampleImageBytes());
    renameSync(temp, path);
  }
  return path;
}

/**
 * The sample image `npm start` offers on the simulated adapter: a raw Xilinx-style bitstream
 * (dummy words, bus-width pattern, sync word, then deterministic bytes) of 64 MiB, the size for
 * which the simulator's timing model takes about a minute at speed 1.
 */
import { constants, existsSync, mkdirSync, renameSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';

export const SAMPLE_IMAGE_SIZE = 64 * 1024 * 1024;
export const SAMPLE_IMAGE_NAME = 'sample-64MiB.bin';

const PREAMBLE = Buffer.from(
  'ffffffffffffffffffffffffffffffff000000bb11220044ffffffffffffffffaa995566',
  'hex',
);
const INITIAL_STATE = 0x2545f491;

/** Fills `target` with the sample's bytes from `offset` (0 or a multiple of 4), continuing `state`. */
function fillSample(target: Buffer, offset: number, state: { x: number }): void {
  let i = 0;
  if (offset === 0) {
    i = Math.min(target.length, PREAMBLE.length);
    PREAMBLE.copy(target, 0, 0, i);
  }
  // xorshift32, four bytes at a time: deterministic and fast enough for 64 MiB.
  let x = state.x;
  for (; i + 4 <= target.length; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    target.writeUInt32LE(x >>> 0, i);
  }
  for (; i < target.length; i++) target[i] = (offset + i) & 0xff;
  state.x = x;
}

export function sampleImageBytes(size: number = SAMPLE_IMAGE_SIZE): Buffer {
  const image = Buffer.allocUnsafe(size);
  fillSample(image, 0, { x: INITIAL_STATE });
  return image;
}

/** The sample's path in the simulator folder (it may not be written yet). */
export function sampleImagePath(simulatorDir: string): string {
  return join(simulatorDir, SAMPLE_IMAGE_NAME);
}

/**
 * Writes the sample when it is missing, 4 MiB at a time with a turn of the event loop between,
 * so the wizard draws its first screen meanwhile (the whole write takes about a second on a
 * small VM). Atomic: the file appears complete or not at all.
 */
export async function writeSampleImage(
  simulatorDir: string,
  size: number = SAMPLE_IMAGE_SIZE,
): Promise<string> {
  const path = sampleImagePath(simulatorDir);
  if (existsSync(path)) return path;
  mkdirSync(simulatorDir, { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  const { O_WRONLY, O_CREAT, O_TRUNC, O_NOFOLLOW } = constants;
  const file = await open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0o600);
  try {
    const piece = Buffer.allocUnsafe(4 * 1024 * 1024);
    const state = { x: INITIAL_STATE };
    for (let offset = 0; offset < size; offset += piece.length) {
      const part = piece.subarray(0, Math.min(piece.length, size - offset));
      fillSample(part, offset, state);
      await file.write(part);
    }
  } finally {
    await file.close();
  }
  renameSync(temp, path);
  return path;
}

/** The simulator's sample image: written in pieces, byte for byte the same as in one go. */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleImageBytes, writeSampleImage } from '../../src/sim/sample-image.js';

describe('sample image', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('writes across 4 MiB pieces exactly the bytes of the one-piece generator, atomically', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cxl-sample-'));
    dirs.push(dir);
    const size = 9 * 1024 * 1024 + 3; // three pieces, the last one ragged
    const path = await writeSampleImage(dir, size);
    expect(readFileSync(path).equals(sampleImageBytes(size))).toBe(true);
    expect(readdirSync(dir)).toEqual(['sample-64MiB.bin']); // no temp file left
    expect(readFileSync(path).subarray(0, 4).toString('hex')).toBe('ffffffff');
  });
});

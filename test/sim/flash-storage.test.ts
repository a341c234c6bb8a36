/** The simulated flash file's comparison, as the validate pass uses it (src/sim/flash-storage.ts). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FlashStorage } from '../../src/sim/flash-storage.js';

describe('FlashStorage.matches', () => {
  let dir: string;
  let storage: FlashStorage;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cxl-flash-storage-'));
    storage = new FlashStorage(dir);
    storage.erase();
    storage.append(Buffer.from('0123456789abcdef'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is true only when every byte at the offset is the same', () => {
    expect(storage.matches(0, Buffer.from('0123'))).toBe(true);
    expect(storage.matches(10, Buffer.from('abcdef'))).toBe(true);
    expect(storage.matches(10, Buffer.from('abcdeF'))).toBe(false);
    expect(storage.matches(4, Buffer.from('4567'))).toBe(true); // a reused buffer, shorter now
    expect(storage.matches(0, Buffer.alloc(0))).toBe(true);
  });

  it('is false when fewer bytes were programmed than compared', () => {
    expect(storage.matches(12, Buffer.from('cdef'))).toBe(true);
    expect(storage.matches(12, Buffer.from('cdef\0'))).toBe(false);
    expect(storage.matches(16, Buffer.from('\0'))).toBe(false);
  });
});

/** Device-tree cells read as the cxl driver reads them (of.c, of_property_read_u32). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCell, readFirstCell } from '../../src/hardware/device-tree.js';

const dir = mkdtempSync(join(tmpdir(), 'cxl-dt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const prop = (bytes: number[]): string => {
  const path = join(dir, `p${bytes.length}-${bytes.join('-')}`);
  writeFileSync(path, Buffer.from(bytes));
  return path;
};

describe('readFirstCell', () => {
  it('takes the first cell of a longer property, as of_property_read_u32 does', () => {
    expect(readFirstCell(prop([0, 0, 0x10, 0x14, 0, 0, 0, 7]))).toEqual({
      ok: true,
      value: 0x1014,
    });
    expect(readFirstCell(prop([0, 0, 0x04, 0x77, 1]))).toEqual({ ok: true, value: 0x0477 });
  });

  it('refuses a property shorter than one cell (the kernel: -EOVERFLOW)', () => {
    const r = readFirstCell(prop([0, 0x10, 0x14]));
    expect(r).toMatchObject({ ok: false, reason: 'unreadable' });
    expect(r.ok ? '' : r.detail).toMatch(/found 3 bytes/);
  });

  it('leaves readCell strict for properties the driver does not read', () => {
    expect(readCell(prop([0, 0, 0, 1, 0, 0, 0, 2]))).toMatchObject({ ok: false });
  });
});

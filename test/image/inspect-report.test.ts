import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildInspectReport, type InspectAdapter } from '../../src/image/inspect-report.js';
import { loadImage } from '../../src/image/load.js';
import { renderInspectReport } from '../../src/image/inspect-render.js';
import { embeddedHeader, tempDir, xilinxBin } from '../helpers/images.js';

const dir = tempDir();
afterAll(() => dir.remove());
const at = (name: string): string => join(dir.path, name);

const CARD0: InspectAdapter = {
  name: 'card0',
  label: 'U78C9.001.WZS0001-P1-C7',
  identity: { vendorId: 0x1014, deviceId: 0x0477, subsystemVendorId: 0x1014, subsystemId: 0x04dd },
  simulated: false,
};
const note = { adapterNote: 'given with --card' };

describe('buildInspectReport', () => {
  it('a raw image against an adapter: the header the kernel will build carries the adapter IDs', async () => {
    writeFileSync(at('raw.bin'), xilinxBin(5000));
    const report = buildInspectReport(await loadImage(at('raw.bin')), CARD0, {
      ...note,
      expected: null,
    });
    // version 1, reserved, 1014 0477 1014 04dd, offset 128, length 5000 = 0x1388, zeros
    expect(report.header.kernel.hex).toBe(
      `0001000000000000101404771014${'04dd'}0000000000000080${'0000000000001388'}${'00'.repeat(96)}`,
    );
    expect(report.header.kernel.idsKnown).toBe(true);
    expect(report.header.embedded).toBeNull();
    expect(report.compatibility.verdict).toBe('not-compared');
    expect(report.plan).toMatchObject({
      lenImage: 5000,
      callsPerPass: 1,
      totalCalls: 2,
      passes: ['download', 'validate'],
    });
    expect(report.plan.calls).toEqual([{ index: 0, offset: 0, lenData: 5000, needHeader: true }]);
    expect(report).toMatchObject({ ok: true, problems: [], checksum: { status: 'not-checked' } });
  });

  it('without an adapter the header is built but its bytes are not claimed', async () => {
    const report = buildInspectReport(await loadImage(at('raw.bin')), null, {
      adapterNote: 'no adapter selected',
      expected: null,
    });
    expect(report.header.kernel).toMatchObject({ idsKnown: false, hex: null });
    expect(report.adapter).toEqual({
      selected: false,
      name: null,
      label: null,
      simulated: false,
      ids: null,
      note: 'no adapter selected',
    });
  });

  it('an embedded header for this adapter: payload after it, IDs compared and matching', async () => {
    const payload = xilinxBin(2_000_000);
    writeFileSync(
      at('hdr.bin'),
      Buffer.concat([embeddedHeader([0x1014, 0x0477, 0x1014, 0x04dd], payload.length), payload]),
    );
    const report = buildInspectReport(await loadImage(at('hdr.bin')), CARD0, {
      ...note,
      expected: null,
    });
    expect(report.image).toMatchObject({
      fileSize: 2_000_128,
      payloadOffset: 128,
      payloadSize: 2_000_000,
    });
    expect(report.header.embedded?.fields.find((f) => f.field === 'device')?.value).toBe('0x0477');
    expect(report.compatibility.verdict).toBe('match');
    expect(report.plan.lenImage).toBe(2_000_000);
    expect(report.plan.lastLenData).toBe(2_000_000 - 1_048_448);
    expect(report.ok).toBe(true);
    expect(renderInspectReport(report)).toMatch(
      /begins with its own 128-byte image header\. It is stripped: the 2,000,000 bytes after it are flashed/,
    );
  });

  it('an embedded header for another device is a problem (exit 2) with the explanation', async () => {
    const payload = xilinxBin(10_000);
    writeFileSync(
      at('other.bin'),
      Buffer.concat([embeddedHeader([0x1014, 0x0601, 0x1014, 0x04dd], payload.length), payload]),
    );
    const report = buildInspectReport(await loadImage(at('other.bin')), CARD0, {
      ...note,
      expected: null,
    });
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.code)).toEqual(['id-mismatch']);
    expect(report.problems[0]?.message).toMatch(/device differs: the image is for 0x0601/);
    expect(report.problems[0]?.fix).toMatch(/Do not flash this image onto card0/);
  });

  it('a checksum mismatch prints both hashes and where the expected one came from', async () => {
    const image = await loadImage(at('raw.bin'));
    const expected = {
      sha256: 'f'.repeat(64),
      source: 'sidecar' as const,
      sidecarPath: at('raw.bin.sha256'),
      note: null,
    };
    const report = buildInspectReport(image, null, { ...note, expected });
    expect(report.checksum).toMatchObject({
      status: 'mismatch',
      expected: 'f'.repeat(64),
      source: 'sidecar',
    });
    const message = report.problems[0]?.message ?? '';
    expect(message).toContain(`expected  ${'f'.repeat(64)}  (from ${at('raw.bin.sha256')})`);
    expect(message).toContain(
      `actual    ${image.fileSha256}  (the whole file, as sha256sum computes it)`,
    );
  });

  it('text is refused as not an image; an unknown format is only a warning', async () => {
    writeFileSync(at('notes.txt'), 'release notes\n');
    const text = buildInspectReport(await loadImage(at('notes.txt')), null, {
      ...note,
      expected: null,
    });
    expect(text.problems.map((p) => p.code)).toEqual(['not-an-image']);
    writeFileSync(at('odd.img'), Buffer.from([1, 2, 3, 4, 5, 200, 201, 7]));
    const odd = buildInspectReport(await loadImage(at('odd.img')), null, {
      ...note,
      expected: null,
    });
    expect(odd.ok).toBe(true);
    expect(odd.warnings.join(' ')).toMatch(/format was not recognised/);
    expect(odd.plan.smallFirstChunk).toBe(true);
  });
});

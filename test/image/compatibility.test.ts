import { describe, expect, it } from 'vitest';
import { checkCompatibility, describeId } from '../../src/image/compatibility.js';

const CARD = { vendorId: 0x1014, deviceId: 0x0477, subsystemVendorId: 0x1014, subsystemId: 0x04dd };

describe('compatibility: image header IDs against the adapter', () => {
  it('names the known IBM CAPI IDs', () => {
    expect(describeId('vendorId', 0x1014)).toBe('0x1014 (IBM)');
    expect(describeId('deviceId', 0x0477, 0x1014)).toBe('0x0477 (IBM CAPI adapter)');
    expect(describeId('deviceId', 0x04cf, 0x1014)).toBe('0x04cf (IBM CAPI adapter, legacy ID)');
    expect(describeId('deviceId', 0x0477, 0x10ee)).toBe('0x0477');
  });

  it('a match says so with the IDs', () => {
    const c = checkCompatibility(CARD, CARD, 'card0');
    expect(c.verdict).toBe('match');
    expect(c.summary).toMatch(/^Match: .*device 0x0477 \(IBM CAPI adapter\).*the IDs card0 has\.$/);
    expect(c.fields.every((f) => f.status === 'same')).toBe(true);
  });

  it('a device mismatch names the field, both values, the likely meaning and what to do', () => {
    const c = checkCompatibility({ ...CARD, deviceId: 0x04cf }, CARD, 'card0');
    expect(c.verdict).toBe('mismatch');
    expect(c.summary).toBe(
      'Mismatch: the image was built for a different adapter (device ID differs).',
    );
    expect(c.explanation).toHaveLength(1);
    expect(c.explanation[0]).toMatch(
      /^device differs: the image is for 0x04cf \(IBM CAPI adapter, legacy ID\), card0 is 0x0477 \(IBM CAPI adapter\)\. The image is for a different adapter model/,
    );
    expect(c.advice).toMatch(
      /^Do not flash this image onto card0\. Get the image built for vendor 0x1014/,
    );
  });

  it('a subsystem mismatch explains another board', () => {
    const c = checkCompatibility(
      { ...CARD, subsystemVendorId: 0x10ee, subsystemId: 0x0001 },
      CARD,
      'card0',
    );
    expect(c.summary).toMatch(/subsystem vendor, subsystem IDs differ/);
    expect(c.explanation[0]).toMatch(
      /subsystem vendor differs: the image is for 0x10ee, card0 is 0x1014 \(IBM\)\. Same adapter model, but a board from another card maker/,
    );
    expect(c.explanation[1]).toMatch(/another board or board revision/);
  });

  it('an ID the image leaves at 0 or the adapter lacks is not compared: a partial match', () => {
    const c = checkCompatibility(
      { ...CARD, subsystemId: 0 },
      { ...CARD, subsystemVendorId: null },
      'card0',
    );
    expect(c.verdict).toBe('partial');
    expect(c.fields.map((f) => f.status)).toEqual([
      'same',
      'same',
      'not-on-adapter',
      'not-in-image',
    ]);
    expect(c.explanation.join(' ')).toMatch(/device tree has no such property/);
    expect(c.explanation.join(' ')).toMatch(/leaves it unset \(0\)/);
  });

  it('a raw image (no header) is not compared: the kernel writes the adapter IDs', () => {
    const c = checkCompatibility(null, CARD, 'card0');
    expect(c.verdict).toBe('not-compared');
    expect(c.summary).toMatch(/carries no IDs.*card0's IDs/);
    expect(c.advice).toMatch(/built for card0: vendor 0x1014 \(IBM\)/);
  });

  it('without an adapter nothing is compared, and the image IDs are still named', () => {
    expect(checkCompatibility(CARD, null).summary).toMatch(
      /own header names vendor 0x1014.*no adapter is selected/,
    );
    expect(checkCompatibility(null, null).advice).toBeNull();
  });
});

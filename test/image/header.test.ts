import { describe, expect, it } from 'vitest';
import {
  buildKernelHeader,
  checkEmbeddedHeader,
  decodeHeader,
  headerRows,
} from '../../src/image/header.js';

/** Written out by hand from docs/kernel-contract.md §3, not computed with the code under test. */
const EXPECTED_HEADER = [
  '0001', // version 1
  '000000000000', // reserved0
  '1014', // vendor
  '0477', // device
  '1014', // subsystem vendor
  '04dd', // subsystem
  '0000000000000080', // image_offset 128
  '0000000001b00000', // image_length 28,311,552
  '00'.repeat(96), // reserved1
].join('');

const IBM_CAPI = {
  vendorId: 0x1014,
  deviceId: 0x0477,
  subsystemVendorId: 0x1014,
  subsystemId: 0x04dd,
};

describe('the header the kernel builds (docs/kernel-contract.md §3)', () => {
  it('is the hand-computed 128 bytes, big-endian', () => {
    const header = buildKernelHeader(IBM_CAPI, 28_311_552);
    expect(header.length).toBe(128);
    expect(header.toString('hex')).toBe(EXPECTED_HEADER);
  });

  it('truncates IDs to u16 as the driver does with the 32-bit DT cells', () => {
    const header = buildKernelHeader(
      { ...IBM_CAPI, vendorId: 0x2_1014, subsystemId: 0xffff_04dd },
      1,
    );
    expect(header.subarray(8, 10).toString('hex')).toBe('1014');
    expect(header.subarray(14, 16).toString('hex')).toBe('04dd');
  });

  it('writes 0 for an ID the adapter does not have (kzalloc)', () => {
    const header = buildKernelHeader(
      { vendorId: 0x1014, deviceId: null, subsystemVendorId: null, subsystemId: null },
      5,
    );
    expect(header.subarray(8, 16).toString('hex')).toBe('1014000000000000');
  });

  it('writes image_length as a full u64', () => {
    const header = buildKernelHeader(IBM_CAPI, 4_294_967_297n);
    expect(header.subarray(24, 32).toString('hex')).toBe('0000000100000001');
    expect(() => buildKernelHeader(IBM_CAPI, -1)).toThrow(RangeError);
  });

  it('decodes field by field', () => {
    const decoded = decodeHeader(Buffer.from(EXPECTED_HEADER, 'hex'));
    expect(decoded).toEqual({
      version: 1,
      vendorId: 0x1014,
      deviceId: 0x0477,
      subsystemVendorId: 0x1014,
      subsystemId: 0x04dd,
      imageOffset: 128n,
      imageLength: 28_311_552n,
      nonZeroReserved: [],
    });
  });

  it('shows the adapter IDs as unknown when no adapter is selected, never as zeros', () => {
    const rows = headerRows(buildKernelHeader(IBM_CAPI, 10), 'kernel', false);
    const vendor = rows.find((r) => r.field === 'vendor');
    expect(vendor).toMatchObject({ value: null, hex: null, offset: 8, size: 2 });
    expect(vendor?.note).toMatch(/unknown/);
    expect(rows.find((r) => r.field === 'image_length')?.value).toBe(10);
    expect(rows.map((r) => r.offset)).toEqual([0, 2, 8, 10, 12, 14, 16, 24, 32]);
  });

  it('names a known adapter ID in hex and says where it came from', () => {
    const rows = headerRows(buildKernelHeader(IBM_CAPI, 10), 'kernel');
    expect(rows.find((r) => r.field === 'device')).toMatchObject({ value: '0x0477', hex: '0477' });
  });
});

describe('a header embedded in the file', () => {
  const withLength = (length: number): Buffer => {
    const header = Buffer.from(EXPECTED_HEADER, 'hex');
    header.writeBigUInt64BE(BigInt(length), 24);
    return header;
  };

  it('is detected when version, offset, length and reserved bytes all fit', () => {
    const check = checkEmbeddedHeader(withLength(1000), 1128);
    expect(check.kind).toBe('header');
  });

  it('is not seen in data that does not start with version 1 and offset 128', () => {
    const data = Buffer.alloc(256, 0xff);
    expect(checkEmbeddedHeader(data, 256).kind).toBe('none');
    const wrongOffset = withLength(128);
    wrongOffset.writeBigUInt64BE(256n, 16);
    expect(checkEmbeddedHeader(wrongOffset, 256).kind).toBe('none');
    expect(checkEmbeddedHeader(withLength(0).subarray(0, 100), 100).kind).toBe('none');
  });

  it('is inconsistent when the length does not match the file (truncated or padded)', () => {
    expect(checkEmbeddedHeader(withLength(1000), 1000)).toMatchObject({
      kind: 'inconsistent',
      problem: 'length',
    });
    expect(checkEmbeddedHeader(withLength(0), 128)).toMatchObject({ problem: 'no-payload' });
  });

  it('is inconsistent when reserved1 holds data', () => {
    const header = withLength(100);
    header[64] = 1;
    expect(checkEmbeddedHeader(header, 228)).toMatchObject({
      kind: 'inconsistent',
      problem: 'reserved',
      header: { nonZeroReserved: [64] },
    });
  });
});

import { describe, expect, it } from 'vitest';
import {
  ADAPTER_IMAGE_LAYOUT,
  ADAPTER_IMAGE_STRUCT_SIZE,
  CXL_AI_ALL,
  CXL_AI_HEADER_BUFFER_PAYLOAD,
  CXL_AI_HEADER_SIZE,
  CXL_AI_MAX_CHUNK_SIZE,
  CXL_AI_MAX_HEADER_CHUNK_SIZE,
  CXL_AI_NEED_HEADER,
  decodeAdapterImage,
  encodeAdapterImage,
} from '../../src/ioctl/abi.js';

describe('docs/kernel-contract.md §1 constants', () => {
  it('has the sizes of the uapi header', () => {
    expect(CXL_AI_HEADER_SIZE).toBe(128);
    expect(CXL_AI_MAX_CHUNK_SIZE).toBe(1_048_576);
    expect(CXL_AI_MAX_HEADER_CHUNK_SIZE).toBe(1_048_448);
    expect(CXL_AI_HEADER_BUFFER_PAYLOAD).toBe(3968);
    expect(CXL_AI_NEED_HEADER).toBe(1n);
    expect(CXL_AI_ALL).toBe(1n);
    expect(ADAPTER_IMAGE_STRUCT_SIZE).toBe(64);
  });
});

describe('struct cxl_adapter_image encoding', () => {
  const value = {
    flags: 1n,
    data: 0x00007f12_3456_7000n,
    lenData: 1_048_448n,
    lenImage: 0x1_2345_6789n,
    reserved: [0n, 0n, 0n, 0n] as const,
  };

  it('lays out eight u64 words with no padding, little-endian on ppc64le and x86-64', () => {
    const buf = encodeAdapterImage(value, 'LE');
    expect(buf.length).toBe(64);
    expect(buf.subarray(0, 8).toString('hex')).toBe('0100000000000000');
    expect(buf.subarray(8, 16).toString('hex')).toBe('00705634127f0000');
    expect(buf.subarray(16, 24).toString('hex')).toBe('80ff0f0000000000');
    expect(buf.subarray(24, 32).toString('hex')).toBe('8967452301000000');
    expect(buf.subarray(32).equals(Buffer.alloc(32))).toBe(true);
  });

  it('is big-endian for a ppc64 BE kernel', () => {
    const buf = encodeAdapterImage(value, 'BE');
    expect(buf.subarray(0, 8).toString('hex')).toBe('0000000000000001');
    expect(buf.subarray(16, 24).toString('hex')).toBe('00000000000fff80');
  });

  it('puts every field at the offset of the table', () => {
    const distinct = {
      flags: 1n,
      data: 2n,
      lenData: 3n,
      lenImage: 4n,
      reserved: [5n, 6n, 7n, 8n] as const,
    };
    const buf = encodeAdapterImage(distinct, 'LE');
    ADAPTER_IMAGE_LAYOUT.forEach((field, i) => {
      expect(field.offset).toBe(i * 8);
      expect(buf.readBigUInt64LE(field.offset)).toBe(BigInt(i + 1));
    });
  });

  it('decodes what it encodes, in both byte orders', () => {
    for (const order of ['LE', 'BE'] as const) {
      expect(decodeAdapterImage(encodeAdapterImage(value, order), order)).toEqual(value);
    }
  });

  it('refuses values that are not u64 and buffers that are too short', () => {
    expect(() => encodeAdapterImage({ ...value, lenData: -1n })).toThrow(RangeError);
    expect(() => encodeAdapterImage({ ...value, data: 1n << 64n })).toThrow(RangeError);
    expect(() => decodeAdapterImage(Buffer.alloc(63))).toThrow(/64 bytes/);
  });
});

/**
 * The 128-byte Base Adapter Image header (docs/kernel-contract.md §3): the exact bytes the kernel builds in
 * front of the first chunk of each pass, a field-by-field decoding for display, and the check
 * for a file that already begins with such a header.
 */
import type { AdapterIdentity } from '../hardware/types.js';
import { CXL_AI_HEADER_SIZE } from '../ioctl/abi.js';
import { hexId } from './units.js';

/** §3: the only header version the driver writes. */
export const HEADER_VERSION = 1;

/** §3: the header layout. Every field is big-endian whatever the CPU's byte order. */
export const HEADER_LAYOUT = [
  { field: 'version', offset: 0, size: 2 },
  { field: 'reserved0', offset: 2, size: 6 },
  { field: 'vendor', offset: 8, size: 2 },
  { field: 'device', offset: 10, size: 2 },
  { field: 'subsystem_vendor', offset: 12, size: 2 },
  { field: 'subsystem', offset: 14, size: 2 },
  { field: 'image_offset', offset: 16, size: 8 },
  { field: 'image_length', offset: 24, size: 8 },
  { field: 'reserved1', offset: 32, size: 96 },
] as const;

export type HeaderFieldName = (typeof HEADER_LAYOUT)[number]['field'];

export interface DecodedHeader {
  readonly version: number;
  readonly vendorId: number;
  readonly deviceId: number;
  readonly subsystemVendorId: number;
  readonly subsystemId: number;
  readonly imageOffset: bigint;
  readonly imageLength: bigint;
  /** offsets of non-zero bytes in reserved0 and reserved1 */
  readonly nonZeroReserved: readonly number[];
}

/** A 16-bit ID as the driver stores it: the DT cell truncated to u16, absent -> 0 (§3, kzalloc). */
function headerId(value: number | null): number {
  return value === null ? 0 : value & 0xffff;
}

/**
 * The 128 bytes the kernel builds for `identity` and a payload of `lenImage` bytes (§3):
 * version 1, the adapter's IDs, image_offset 128, image_length = `len_image`, zeros elsewhere.
 */
export function buildKernelHeader(identity: AdapterIdentity, lenImage: number | bigint): Buffer {
  const length = BigInt(lenImage);
  if (length < 0n || length > 0xffff_ffff_ffff_ffffn) {
    throw new RangeError(`len_image must fit a u64, got ${length}`);
  }
  const header = Buffer.alloc(CXL_AI_HEADER_SIZE);
  header.writeUInt16BE(HEADER_VERSION, 0);
  header.writeUInt16BE(headerId(identity.vendorId), 8);
  header.writeUInt16BE(headerId(identity.deviceId), 10);
  header.writeUInt16BE(headerId(identity.subsystemVendorId), 12);
  header.writeUInt16BE(headerId(identity.subsystemId), 14);
  header.writeBigUInt64BE(BigInt(CXL_AI_HEADER_SIZE), 16);
  header.writeBigUInt64BE(length, 24);
  return header;
}

/** Decode 128 bytes as a header, without judging them. */
export function decodeHeader(bytes: Uint8Array): DecodedHeader {
  if (bytes.byteLength < CXL_AI_HEADER_SIZE) {
    throw new RangeError(`a header needs 128 bytes, got ${bytes.byteLength}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, CXL_AI_HEADER_SIZE);
  const nonZeroReserved: number[] = [];
  for (let i = 2; i < 8; i++) if (view.getUint8(i) !== 0) nonZeroReserved.push(i);
  for (let i = 32; i < CXL_AI_HEADER_SIZE; i++) if (view.getUint8(i) !== 0) nonZeroReserved.push(i);
  return {
    version: view.getUint16(0),
    vendorId: view.getUint16(8),
    deviceId: view.getUint16(10),
    subsystemVendorId: view.getUint16(12),
    subsystemId: view.getUint16(14),
    imageOffset: view.getBigUint64(16),
    imageLength: view.getBigUint64(24),
    nonZeroReserved,
  };
}

export function headerIdentity(header: DecodedHeader): AdapterIdentity {
  return {
    vendorId: header.vendorId,
    deviceId: header.deviceId,
    subsystemVendorId: header.subsystemVendorId,
    subsystemId: header.subsystemId,
  };
}

/** What the first 128 bytes of a file say about an embedded header. */
export type EmbeddedHeaderCheck =
  | { readonly kind: 'none' }
  | { readonly kind: 'header'; readonly header: DecodedHeader }
  /** it starts like a header (version 1, image_offset 128) but cannot be one we may strip */
  | {
      readonly kind: 'inconsistent';
      readonly header: DecodedHeader;
      readonly problem: 'no-payload' | 'length' | 'reserved';
    };

/**
 * Classify the start of a file of `fileSize` bytes. A header is version 1, reserved0 zero and
 * image_offset 128 (the signature), with image_length = file size - 128 and reserved1 zero.
 * A signature with a wrong length or non-zero reserved bytes is reported as inconsistent rather
 * than guessed at: flashing it whole would send two headers, stripping it could cut real data.
 */
export function checkEmbeddedHeader(start: Uint8Array, fileSize: number): EmbeddedHeaderCheck {
  if (fileSize < CXL_AI_HEADER_SIZE || start.byteLength < CXL_AI_HEADER_SIZE) {
    return { kind: 'none' };
  }
  const header = decodeHeader(start);
  const reserved0Zero = header.nonZeroReserved.every((offset) => offset >= 32);
  const signature =
    header.version === HEADER_VERSION &&
    reserved0Zero &&
    header.imageOffset === BigInt(CXL_AI_HEADER_SIZE);
  if (!signature) return { kind: 'none' };
  if (fileSize === CXL_AI_HEADER_SIZE)
    return { kind: 'inconsistent', header, problem: 'no-payload' };
  if (header.imageLength !== BigInt(fileSize - CXL_AI_HEADER_SIZE)) {
    return { kind: 'inconsistent', header, problem: 'length' };
  }
  if (header.nonZeroReserved.length > 0)
    return { kind: 'inconsistent', header, problem: 'reserved' };
  return { kind: 'header', header };
}

export interface HeaderFieldRow {
  readonly field: HeaderFieldName;
  readonly offset: number;
  readonly size: number;
  /** the value, or null when it is only known once an adapter is selected */
  readonly value: number | string | null;
  /** the field's bytes in hex, as they appear in the header; null when unknown */
  readonly hex: string | null;
  readonly note: string;
}

const ID_FIELDS: Partial<Record<HeaderFieldName, keyof AdapterIdentity>> = {
  vendor: 'vendorId',
  device: 'deviceId',
  subsystem_vendor: 'subsystemVendorId',
  subsystem: 'subsystemId',
};

/**
 * The header field by field. `idsKnown` false means no adapter was selected: the four IDs the
 * kernel takes from the adapter's device tree are shown as unknown instead of as zeros.
 */
export function headerRows(
  bytes: Uint8Array,
  source: 'kernel' | 'file',
  idsKnown = true,
): HeaderFieldRow[] {
  const header = decodeHeader(bytes);
  return HEADER_LAYOUT.map(({ field, offset, size }) => {
    const raw = Buffer.from(bytes.buffer, bytes.byteOffset + offset, size).toString('hex');
    const idKey = ID_FIELDS[field];
    if (idKey !== undefined) {
      if (!idsKnown) {
        return { field, offset, size, value: null, hex: null, note: 'from the adapter: unknown' };
      }
      const id = header[idKey];
      const note =
        source === 'kernel'
          ? id === 0
            ? 'adapter property absent: the driver leaves 0'
            : "the adapter's device-tree ID"
          : id === 0
            ? 'not set in the file'
            : 'as written in the file';
      return { field, offset, size, value: hexId(id), hex: raw, note };
    }
    switch (field) {
      case 'version':
        return { field, offset, size, value: header.version, hex: raw, note: 'always 1' };
      case 'image_offset':
        return {
          field,
          offset,
          size,
          value: Number(header.imageOffset),
          hex: raw,
          note: 'the image follows the header directly',
        };
      case 'image_length':
        return {
          field,
          offset,
          size,
          value: Number(header.imageLength),
          hex: raw,
          note: source === 'kernel' ? '= len_image, the payload size' : 'as written in the file',
        };
      default: {
        const zero = /^0*$/.test(raw);
        return { field, offset, size, value: zero ? 0 : 'non-zero', hex: raw, note: 'reserved' };
      }
    }
  });
}

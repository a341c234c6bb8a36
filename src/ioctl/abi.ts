/**
 * Constants and the byte layout of `struct cxl_adapter_image`, hard-coded from
 * docs/kernel-contract.md §1 because `include/uapi/misc/cxl.h` is gone from kernels >= 6.15 (§7).
 * Pure data: nothing here touches koffi or the device.
 */
import { endianness } from 'node:os';

/** §1: bit 0 of `flags`; the kernel builds and prepends the 128-byte header. */
export const CXL_AI_NEED_HEADER = 0x1n;
/** §1: the mask of every defined flag bit. Any other bit set -> EINVAL. */
export const CXL_AI_ALL = CXL_AI_NEED_HEADER;
/** §1, §3: size of the header the kernel builds. */
export const CXL_AI_HEADER_SIZE = 128;
/** §1: one scatter/gather buffer. */
export const CXL_AI_BUFFER_SIZE = 4096;
/** §1: scatter/gather entries per call. */
export const CXL_AI_MAX_ENTRIES = 256;
/** §1: 4096 x 256 = 1,048,576 bytes per call without the header. */
export const CXL_AI_MAX_CHUNK_SIZE = CXL_AI_BUFFER_SIZE * CXL_AI_MAX_ENTRIES;
/** §1: 1,048,448 bytes: the largest `len_data` on a call that sets NEED_HEADER. */
export const CXL_AI_MAX_HEADER_CHUNK_SIZE = CXL_AI_MAX_CHUNK_SIZE - CXL_AI_HEADER_SIZE;
/**
 * §3: user bytes carried by S/G buffer 0 of a header call. A header call with a smaller
 * `len_data` makes the driver read 128 bytes past the caller's buffer.
 */
export const CXL_AI_HEADER_BUFFER_PAYLOAD = CXL_AI_BUFFER_SIZE - CXL_AI_HEADER_SIZE;
/** §3: the driver's over-read in the small-first-chunk case. */
export const CXL_AI_OVERREAD = CXL_AI_HEADER_SIZE;
/** §1: sizeof(struct cxl_adapter_image). */
export const ADAPTER_IMAGE_STRUCT_SIZE = 64;
/** §2: `CXL_MAGIC`. */
export const CXL_MAGIC = 0xca;
/** §2: ioctl numbers (the `nr` part). */
export const CXL_NR_DOWNLOAD_IMAGE = 0x0a;
export const CXL_NR_VALIDATE_IMAGE = 0x0b;

export type ByteOrder = 'LE' | 'BE';

/** The byte order of this process; the struct is in host order (§1), the header is not (§3). */
export function hostByteOrder(): ByteOrder {
  return endianness();
}

/** `struct cxl_adapter_image` as the kernel reads it (§1). */
export interface AdapterImageStruct {
  flags: bigint;
  /** the user virtual address of this call's bytes */
  data: bigint;
  lenData: bigint;
  lenImage: bigint;
  reserved: readonly [bigint, bigint, bigint, bigint];
}

export const ZERO_RESERVED: AdapterImageStruct['reserved'] = [0n, 0n, 0n, 0n];

/** Field offsets, for display (`doctor`) and tests. */
export const ADAPTER_IMAGE_LAYOUT = [
  { field: 'flags', offset: 0, size: 8 },
  { field: 'data', offset: 8, size: 8 },
  { field: 'len_data', offset: 16, size: 8 },
  { field: 'len_image', offset: 24, size: 8 },
  { field: 'reserved1', offset: 32, size: 8 },
  { field: 'reserved2', offset: 40, size: 8 },
  { field: 'reserved3', offset: 48, size: 8 },
  { field: 'reserved4', offset: 56, size: 8 },
] as const;

function writeU64(buf: Buffer, offset: number, value: bigint, order: ByteOrder): void {
  if (order === 'LE') buf.writeBigUInt64LE(value, offset);
  else buf.writeBigUInt64BE(value, offset);
}

function readU64(buf: Uint8Array, offset: number, order: ByteOrder): bigint {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  return view.getBigUint64(offset, order === 'LE');
}

/**
 * Encode the 64-byte struct. `order` defaults to the host's; pass it explicitly to build what a
 * kernel of the other endianness would read. Throws RangeError on values that do not fit a u64.
 */
export function encodeAdapterImage(
  value: AdapterImageStruct,
  order: ByteOrder = hostByteOrder(),
): Buffer {
  const buf = Buffer.alloc(ADAPTER_IMAGE_STRUCT_SIZE);
  const words = [value.flags, value.data, value.lenData, value.lenImage, ...value.reserved];
  words.forEach((word, index) => writeU64(buf, index * 8, word, order));
  return buf;
}

/** Decode 64 bytes as the kernel would (used by the simulator and the tests). */
export function decodeAdapterImage(
  bytes: Uint8Array,
  order: ByteOrder = hostByteOrder(),
): AdapterImageStruct {
  if (bytes.byteLength < ADAPTER_IMAGE_STRUCT_SIZE) {
    throw new RangeError(`struct cxl_adapter_image needs 64 bytes, got ${bytes.byteLength}`);
  }
  const word = (index: number): bigint => readU64(bytes, index * 8, order);
  return {
    flags: word(0),
    data: word(1),
    lenData: word(2),
    lenImage: word(3),
    reserved: [word(4), word(5), word(6), word(7)],
  };
}

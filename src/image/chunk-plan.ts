/**
 * The chunk plan of one pass (kernel-abi.md §4.8): the first call carries NEED_HEADER with
 * `len_data = min(1,048,448, size)`; each later call carries `min(1,048,576, remaining)`.
 * Download and validate use the same plan (§4.2: validate resends the whole image from byte 0).
 */
import {
  CXL_AI_MAX_CHUNK_SIZE,
  CXL_AI_MAX_HEADER_CHUNK_SIZE,
  CXL_AI_NEED_HEADER,
} from '../ioctl/abi.js';

export interface ChunkCall {
  /** 0-based call number within the pass */
  readonly index: number;
  /** payload offset of this call's first byte */
  readonly offset: number;
  readonly lenData: number;
  readonly flags: bigint;
}

export interface ChunkPlan {
  /** payload bytes, excluding the 128-byte header the kernel builds (`len_image`) */
  readonly imageSize: number;
  readonly calls: readonly ChunkCall[];
}

export function chunkPlan(imageSize: number): ChunkPlan {
  if (!Number.isSafeInteger(imageSize) || imageSize < 0) {
    throw new RangeError(`image size must be a non-negative integer, got ${imageSize}`);
  }
  const calls: ChunkCall[] = [];
  let offset = 0;
  while (offset < imageSize) {
    const first = calls.length === 0;
    const limit = first ? CXL_AI_MAX_HEADER_CHUNK_SIZE : CXL_AI_MAX_CHUNK_SIZE;
    const lenData = Math.min(limit, imageSize - offset);
    calls.push({ index: calls.length, offset, lenData, flags: first ? CXL_AI_NEED_HEADER : 0n });
    offset += lenData;
  }
  return { imageSize, calls };
}

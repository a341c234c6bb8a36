/**
 * The chunk plan of one pass (docs/kernel-contract.md §4.8): the first call carries NEED_HEADER with
 * `len_data = min(1,048,448, size)`; each later call carries `min(1,048,576, remaining)`.
 * Except: a first call of 3841..3967 bytes is cut to 3840 (see SAFE_SMALL_HEADER_CHUNK).
 * Download and validate use the same plan (§4.2: validate resends the whole image from byte 0).
 */
import {
  CXL_AI_HEADER_BUFFER_PAYLOAD,
  CXL_AI_MAX_CHUNK_SIZE,
  CXL_AI_MAX_HEADER_CHUNK_SIZE,
  CXL_AI_NEED_HEADER,
  CXL_AI_OVERREAD,
} from '../ioctl/abi.js';

/**
 * flash.c: handle_image, for a NEED_HEADER call that fits one S/G buffer, copies
 * `len_data + 128` bytes to `buffer[0] + 128`. On a kernel with 4 KiB pages, `buffer[0]` is one
 * page, so any `len_data` above 3840 (and below 3968, where a second buffer starts) writes past
 * it. The largest safe small header call is therefore 3840 bytes; the rest goes in a second call.
 */
export const SAFE_SMALL_HEADER_CHUNK = CXL_AI_HEADER_BUFFER_PAYLOAD - CXL_AI_OVERREAD;

function firstCallLength(imageSize: number): number {
  const lenData = Math.min(CXL_AI_MAX_HEADER_CHUNK_SIZE, imageSize);
  return lenData > SAFE_SMALL_HEADER_CHUNK && lenData < CXL_AI_HEADER_BUFFER_PAYLOAD
    ? SAFE_SMALL_HEADER_CHUNK
    : lenData;
}

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
    const lenData = first
      ? firstCallLength(imageSize)
      : Math.min(CXL_AI_MAX_CHUNK_SIZE, imageSize - offset);
    calls.push({ index: calls.length, offset, lenData, flags: first ? CXL_AI_NEED_HEADER : 0n });
    offset += lenData;
  }
  return { imageSize, calls };
}

/** §4.2: both passes send the whole image with the same plan, each starting with NEED_HEADER. */
export const PASSES = ['download', 'validate'] as const;
export type PassName = (typeof PASSES)[number];

/** What a screen or report says about a plan. */
export interface ChunkPlanSummary {
  /** `len_image`: payload bytes, without the header the kernel builds */
  readonly lenImage: number;
  readonly callsPerPass: number;
  /** both passes: download, then validate */
  readonly totalCalls: number;
  /** `len_data` of the first call (the NEED_HEADER call), null for an empty plan */
  readonly firstLenData: number | null;
  /** `len_data` of the last call; equal to the first when there is one call */
  readonly lastLenData: number | null;
  /**
   * §3: the first call sets NEED_HEADER with `len_data` < 3968, so the driver reads 128 bytes
   * past the end of the data: they must be readable (the loader's `padded` buffer).
   */
  readonly smallFirstChunk: boolean;
}

export function summarisePlan(plan: ChunkPlan): ChunkPlanSummary {
  const first = plan.calls[0];
  const last = plan.calls.at(-1);
  return {
    lenImage: plan.imageSize,
    callsPerPass: plan.calls.length,
    totalCalls: plan.calls.length * PASSES.length,
    firstLenData: first?.lenData ?? null,
    lastLenData: last?.lenData ?? null,
    smallFirstChunk: first !== undefined && first.lenData < CXL_AI_HEADER_BUFFER_PAYLOAD,
  };
}

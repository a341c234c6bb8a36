/**
 * The `CardDevice` port: the only way the engine talks to an adapter. Two implementations:
 * `IoctlCardDevice` (the real `/dev/cxl/cardN`, through koffi) and the simulator.
 */
import type { DeviceOperation } from './errno.js';

/** The fields of `struct cxl_adapter_image` (docs/kernel-contract.md §1), with the data as bytes. */
export interface AdapterImageFields {
  /** `CXL_AI_NEED_HEADER` on the first call of each pass, else 0 */
  readonly flags: bigint;
  /**
   * This call's bytes, starting at the chunk. The view may run past `lenData`: on a header call
   * with `lenData` < 3968 the driver reads 128 bytes beyond it (§3), so those must be readable.
   */
  readonly data: Uint8Array;
  readonly lenData: number;
  /** total payload size without the 128-byte header; read only with NEED_HEADER (§1) */
  readonly lenImage: number;
  /** must be zero (§1); present so the simulator and the shim can test the driver's check */
  readonly reserved?: readonly [bigint, bigint, bigint, bigint];
}

/** What one DOWNLOAD or VALIDATE ioctl answered (§4.3). */
export type TransferOutcome =
  | { readonly kind: 'continue' } // returned 1: send the next chunk within 3 s
  | { readonly kind: 'done' } // returned 0: the pass is complete
  | { readonly kind: 'error'; readonly errno: number; readonly returned: number };

export type SyscallOutcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly errno: number; readonly operation: DeviceOperation };

export interface OpenOptions {
  readonly signal?: AbortSignal;
}

export interface CardDevice {
  /** `/dev/cxl/cardN` (or the simulator's name for it) */
  readonly path: string;
  /**
   * May block while another process holds any card device (§4.1). An abort while blocked ends
   * the wait with EPERM, as the driver answers a signal during `down_interruptible`. The real
   * device can only honour a signal that is already aborted: a blocked native open cannot be
   * woken from JavaScript.
   */
  open(options?: OpenOptions): Promise<SyscallOutcome>;
  download(fields: AdapterImageFields): Promise<TransferOutcome>;
  validate(fields: AdapterImageFields): Promise<TransferOutcome>;
  /** Resets the adapter, or after a successful validate reloads it; may block for minutes (§4.5). */
  close(): Promise<SyscallOutcome>;
}

/** Turn a raw ioctl return value into an outcome (§4.3: 0, 1, or -1 with errno). */
export function transferOutcome(returned: number, errno: number): TransferOutcome {
  if (returned === 1) return { kind: 'continue' };
  if (returned === 0) return { kind: 'done' };
  return { kind: 'error', errno: returned === -1 ? errno : 0, returned };
}

/** Thrown when a caller issues a second call while one is in flight on the same device. */
export class CallInFlightError extends Error {
  constructor(path: string, pending: string, attempted: string) {
    super(`${path}: ${attempted} issued while ${pending} is still in flight`);
    this.name = 'CallInFlightError';
  }
}

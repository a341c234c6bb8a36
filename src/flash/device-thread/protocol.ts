/**
 * What the main thread and the device thread say to each other. The device thread owns the card
 * device from open to close and issues every call of both passes back to back; the main thread
 * only asks (open, transfer, close, stop) and listens. A stop request is also a flag in shared
 * memory, read before every call, so it needs no turn of the device thread's event loop. The
 * calls themselves are not messages: they go into the call log (call-log.ts), in shared memory.
 */
import type { SyscallOutcome } from '../../ioctl/card-device.js';
import type { PassName, PassResult } from '../transfer.js';

/** Which card device the thread opens: the kernel's, or the simulator's driver model. */
export type DeviceSpec =
  | { readonly kind: 'kernel'; readonly path: string; readonly libraryPath?: string }
  | {
      readonly kind: 'simulated';
      /** as processes see it: `/dev/cxl/card0` */
      readonly path: string;
      /** the simulator's folder (model, tree, flash file) */
      readonly dir: string;
      readonly scenarios: readonly string[];
      /** faults that already fired in this process: each fires once per run */
      readonly firedFaults: readonly string[];
    };

export interface DeviceThreadData {
  readonly spec: DeviceSpec;
  /** the payload followed by 128 readable zero bytes; shared memory, never copied per call */
  readonly padded: Uint8Array;
  readonly size: number;
  /** `Int32Array` over a SharedArrayBuffer; see CONTROL_* */
  readonly control: Int32Array;
  /** the call log's memory (call-log.ts), with a slot for every call of the image's plan */
  readonly callLog: SharedArrayBuffer;
}

/** control[CONTROL_STOP] != 0: issue no further call, close, and end. */
export const CONTROL_STOP = 0;
export const CONTROL_LENGTH = 1;

export type ToDeviceThread =
  | { readonly type: 'open' }
  /** run the download pass, then the validate pass, then close (reset or reload) */
  | { readonly type: 'transfer' }
  | { readonly type: 'close' }
  | { readonly type: 'stop' };

export type FromDeviceThread =
  /** `tid`: the thread's kernel id, for a signal that ends a blocked open() */
  | { readonly type: 'ready'; readonly tid: number | null }
  /** `fd`: the descriptor of the kernel device, so it can be closed should the thread die */
  | { readonly type: 'opened'; readonly outcome: SyscallOutcome; readonly fd: number | null }
  /** `at`: when the pass began in the thread (CLOCK_MONOTONIC, ms) */
  | { readonly type: 'pass-start'; readonly pass: PassName; readonly at: number }
  /** `gaps`: every gap of the pass, measured where the calls were made; its calls are in the log */
  | {
      readonly type: 'pass-end';
      readonly pass: PassName;
      readonly result: PassResult;
      readonly gaps: readonly number[];
    }
  /** the close was issued: after a complete validate it reloads the adapter (minutes) */
  | { readonly type: 'closing'; readonly reload: boolean }
  | { readonly type: 'closed'; readonly outcome: SyscallOutcome }
  | { readonly type: 'ended'; readonly firedFaults: readonly string[] }
  /** an error inside the thread: it has closed what it opened */
  | { readonly type: 'failed'; readonly message: string };

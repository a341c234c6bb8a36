/**
 * One pass (download or validate) of docs/kernel-contract.md §4.8: issue the plan's calls in order, one in
 * flight, nothing between two calls but issuing the next. Bookkeeping hooks are synchronous and
 * cheap; everything else (store, journal, screen) happens on the engine's ticker.
 */
import type { CardDevice, TransferOutcome } from '../ioctl/card-device.js';
import type { ChunkPlan } from '../image/chunk-plan.js';
import type { CallTimer } from './call-timer.js';

export type PassName = 'download' | 'validate';

export type PassResult =
  | { readonly kind: 'complete'; readonly calls: number }
  /** the call returned -1 (or a value the kernel never returns) */
  | {
      readonly kind: 'failed';
      readonly call: number;
      readonly errno: number;
      readonly returned: number;
    }
  /** 0 before the last byte: sizes or header disagree with what firmware expects (§4.8) */
  | { readonly kind: 'early-done'; readonly call: number }
  /** 1 after the last byte (§4.8) */
  | { readonly kind: 'overrun'; readonly call: number }
  /** an abort was requested; `completed` calls had returned */
  | { readonly kind: 'stopped'; readonly completed: number };

export interface PassHooks {
  /** checked before every call */
  shouldStop(): boolean;
  /** `at`: when the call was issued, on the timer's clock */
  onCallStart?(call: number, at: number): void;
  /** `at`: when the call returned, on the timer's clock */
  onCallEnd?(call: number, outcome: TransferOutcome, at: number): void;
}

export interface PassImage {
  /** the payload followed by 128 readable zero bytes (§3) */
  readonly padded: Uint8Array;
  readonly size: number;
}

export async function runPass(
  device: CardDevice,
  pass: PassName,
  image: PassImage,
  plan: ChunkPlan,
  timer: CallTimer,
  hooks: PassHooks,
): Promise<PassResult> {
  const last = plan.calls.length - 1;
  for (const call of plan.calls) {
    if (hooks.shouldStop()) return { kind: 'stopped', completed: call.index };
    const fields = {
      flags: call.flags,
      data: image.padded.subarray(call.offset),
      lenData: call.lenData,
      lenImage: image.size,
    };
    // The hook first: what it does (a note in the call log) is not inside the gap.
    hooks.onCallStart?.(call.index, timer.now());
    timer.callStarting(timer.now());
    const outcome =
      pass === 'download' ? await device.download(fields) : await device.validate(fields);
    const returnedAt = timer.now();
    timer.callReturned(returnedAt);
    hooks.onCallEnd?.(call.index, outcome, returnedAt);
    if (outcome.kind === 'error') {
      return { kind: 'failed', call: call.index, errno: outcome.errno, returned: outcome.returned };
    }
    if (outcome.kind === 'done' && call.index !== last)
      return { kind: 'early-done', call: call.index };
    if (outcome.kind === 'continue' && call.index === last)
      return { kind: 'overrun', call: call.index };
  }
  timer.passEnded();
  return { kind: 'complete', calls: plan.calls.length };
}

/**
 * Test-only faults of the main thread, honoured only on the simulator: they prove that what
 * stops the main thread (a terminal that does not drain, a long GC, a blocked write) no longer
 * reaches the device thread's calls.
 *
 * CXL_FLASHER_TEST_BLOCK_MAIN=PASS:CALL:MS blocks the main thread for MS milliseconds, without
 * yielding, after it hears that call CALL (0-based) of PASS returned.
 */
import type { PassName } from './transfer.js';

export interface MainThreadBlock {
  readonly pass: PassName;
  readonly call: number;
  readonly ms: number;
}

export function mainThreadBlock(
  simulated: boolean,
  env: NodeJS.ProcessEnv = process.env,
): MainThreadBlock | null {
  const match = /^(download|validate):(\d+):(\d+)$/.exec(env.CXL_FLASHER_TEST_BLOCK_MAIN ?? '');
  if (!simulated || !match) return null;
  return { pass: match[1] as PassName, call: Number(match[2]), ms: Number(match[3]) };
}

/** Blocks this thread for `ms` (Atomics.wait never yields to the event loop). */
export function blockThisThread(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

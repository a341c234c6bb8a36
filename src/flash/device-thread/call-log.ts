/**
 * Every call of both passes, in shared memory: the device thread writes each call's issue and
 * return (stamps on CLOCK_MONOTONIC, the outcome) into slots made before the first call, and the
 * main thread reads them when it wants to (each tick of the progress, and before a pass's end).
 *
 * So the device thread does nothing between two calls but store a few numbers: no message, no
 * allocation for the garbage collector, no wake-up of the main thread. The main thread is woken
 * by its own ticker, not by the 257 calls of a pass.
 *
 * Each pass has a counter of published steps: step 2c is call c issued, step 2c+1 is call c
 * returned. A step's numbers are written before its counter is stored (`Atomics.store`), and the
 * reader loads the counter (`Atomics.load`) before it reads them, so it never sees a step half
 * written.
 */
import type { TransferOutcome } from '../../ioctl/card-device.js';
import type { PassName } from '../transfer.js';

const PASSES: readonly PassName[] = ['download', 'validate'];
const passIndex = (pass: PassName): number => (pass === 'download' ? 0 : 1);

/** per pass: the published steps */
const COUNTERS = PASSES.length;
/** per call: the outcome's kind, errno and returned value */
const OUTCOME_INTS = 3;
/** per call: issued at, returned at */
const STAMPS = 2;

const KIND_CONTINUE = 1;
const KIND_DONE = 2;
const KIND_ERROR = 3;

/** What the reader hears, in the order it happened. */
export interface CallLogReader {
  callStarted(pass: PassName, call: number, at: number): void;
  callEnded(pass: PassName, call: number, outcome: TransferOutcome, at: number): void;
}

export class CallLog {
  private readonly ints: Int32Array;
  private readonly stamps: Float64Array;
  /** the reader's position per pass: steps already heard */
  private readonly read = [0, 0];

  /** `shared` comes from `CallLog.create` (possibly in another thread) */
  constructor(
    readonly shared: SharedArrayBuffer,
    readonly callsPerPass: number,
  ) {
    const intCount = COUNTERS + PASSES.length * callsPerPass * OUTCOME_INTS;
    const stampOffset = Math.ceil((intCount * 4) / 8) * 8;
    this.ints = new Int32Array(shared, 0, intCount);
    this.stamps = new Float64Array(shared, stampOffset, PASSES.length * callsPerPass * STAMPS);
  }

  static create(callsPerPass: number): CallLog {
    const intBytes = (COUNTERS + PASSES.length * callsPerPass * OUTCOME_INTS) * 4;
    const bytes = Math.ceil(intBytes / 8) * 8 + PASSES.length * callsPerPass * STAMPS * 8;
    return new CallLog(new SharedArrayBuffer(bytes), callsPerPass);
  }

  // The device thread's side.

  callStarted(pass: PassName, call: number, at: number): void {
    const slot = this.slot(pass, call);
    this.stamps[slot * STAMPS] = at;
    Atomics.store(this.ints, passIndex(pass), 2 * call + 1);
  }

  callEnded(pass: PassName, call: number, outcome: TransferOutcome, at: number): void {
    const slot = this.slot(pass, call);
    const base = COUNTERS + slot * OUTCOME_INTS;
    if (outcome.kind === 'error') {
      this.ints[base] = KIND_ERROR;
      this.ints[base + 1] = outcome.errno;
      this.ints[base + 2] = outcome.returned;
    } else {
      this.ints[base] = outcome.kind === 'continue' ? KIND_CONTINUE : KIND_DONE;
    }
    this.stamps[slot * STAMPS + 1] = at;
    Atomics.store(this.ints, passIndex(pass), 2 * call + 2);
  }

  // The main thread's side.

  /** Tell `reader` every step of `pass` published since the last time, oldest first. */
  drain(pass: PassName, reader: CallLogReader): void {
    const p = passIndex(pass);
    const published = Atomics.load(this.ints, p);
    for (let step = this.read[p] ?? 0; step < published; step++) {
      const call = step >> 1;
      const slot = this.slot(pass, call);
      if (step % 2 === 0) reader.callStarted(pass, call, this.stamps[slot * STAMPS] ?? NaN);
      else reader.callEnded(pass, call, this.outcome(slot), this.stamps[slot * STAMPS + 1] ?? NaN);
    }
    this.read[p] = Math.max(this.read[p] ?? 0, published);
  }

  private outcome(slot: number): TransferOutcome {
    const base = COUNTERS + slot * OUTCOME_INTS;
    const kind = this.ints[base];
    if (kind === KIND_CONTINUE) return { kind: 'continue' };
    if (kind === KIND_DONE) return { kind: 'done' };
    return { kind: 'error', errno: this.ints[base + 1] ?? 0, returned: this.ints[base + 2] ?? 0 };
  }

  private slot(pass: PassName, call: number): number {
    if (!Number.isInteger(call) || call < 0 || call >= this.callsPerPass)
      throw new RangeError(`call ${call} is outside the plan's ${this.callsPerPass} calls`);
    return passIndex(pass) * this.callsPerPass + call;
  }
}

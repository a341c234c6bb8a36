/**
 * The hypervisor side of H_DOWNLOAD_CA_FACILITY (docs/kernel-contract.md §4.2, LoPAR) and of the facility
 * reset. It sees the byte stream the driver's S/G list describes (the 128-byte header, then the
 * image), hands out continue tokens, erases on the first download call, programs, compares on
 * validate, and abandons a sequence left waiting more than 3 s on the real clock (§6).
 */
import {
  H_BAD_DATA,
  H_CONTINUE,
  H_FUNCTION,
  H_PARAMETER,
  H_AUTHORITY,
  H_RESOURCE,
  H_SG_LIST,
  H_STATE,
  H_SUCCESS,
  H_LONG_BUSY_FIRST,
} from '../ioctl/hcall.js';
import { createHash, type Hash } from 'node:crypto';
import { CXL_AI_HEADER_SIZE } from '../ioctl/abi.js';
import type { FlashStorage } from './flash-storage.js';
import { percentile } from '../flash/call-timer.js';
import type { HypervisorGapStats, ModelStore, SimModel } from './model.js';
import type { Pass, ScenarioSet } from './scenarios.js';
import { CONTINUE_LIMIT_MS, simulatedDelay, transferMs, type TimingModel } from './timing.js';

export const OP_DOWNLOAD = 1;
export const OP_VALIDATE = 2;
export type FacilityOp = typeof OP_DOWNLOAD | typeof OP_VALIDATE;

export interface HcallAnswer {
  readonly rc: number;
  /** R4: the continue token with H_CONTINUE (and with long-busy, so the retry resends it) */
  readonly r4: bigint;
}

interface Sequence {
  readonly op: FacilityOp;
  token: bigint;
  /** calls answered so far */
  calls: number;
  /** stream bytes received, header included */
  received: number;
  /** 128 + image_length, once the header has arrived */
  expected: number | null;
  head: Buffer;
  /** SHA-256 of what was programmed so far (download only); null once a byte was corrupted */
  programmed: Hash | null;
  /** return-to-next-call gaps seen so far, real-clock ms */
  readonly gaps: number[];
  /** when the last H_CONTINUE was returned, on the real clock; null while a call is in progress */
  continuedAt: number | null;
}

/** Refused before the flash is touched; other codes (H_HARDWARE, unknown) come after the work. */
const REJECTIONS = new Set([
  H_PARAMETER,
  H_FUNCTION,
  H_AUTHORITY,
  H_STATE,
  H_RESOURCE,
  H_SG_LIST,
  H_BAD_DATA,
]);
/** a simulated-work timer this late means the process did not run (see `work`) */
const STOPPED_PROCESS_MS = 250;
const H_LONG_BUSY_ORDER_1_SEC = H_LONG_BUSY_FIRST + 3;
const H_LONG_BUSY_ORDER_100_SEC = H_LONG_BUSY_FIRST + 5;

export interface HypervisorEnv {
  readonly store: ModelStore;
  readonly storage: FlashStorage;
  readonly scenarios: ScenarioSet;
  readonly timing: TimingModel;
  /** the real clock, milliseconds */
  readonly clock: () => number;
  /** faults that already fired in this run (in another device thread): they do not fire again */
  readonly firedFaults?: readonly string[];
}

export class SimHypervisor {
  private sequence: Sequence | null = null;
  /** a sequence was abandoned; every call fails until the facility is reset */
  private abandoned = false;
  /** a validate pass succeeded since the last download: the next reset activates the image */
  private validated = false;
  private nextToken = (BigInt(Date.now()) << 20n) | 0x5a1n;
  private readonly fired = new Set<string>();
  private readonly busyLeft = new Map<string, number>();

  /** when the hcall being answered came in (real ms, and clock units), and how long it should take */
  private hcallStartedAt = 0;
  private hcallClockStart = 0;
  private expectedRealMs = 0;

  constructor(private readonly env: HypervisorEnv) {
    for (const key of env.firedFaults ?? []) this.fired.add(key);
    for (const f of env.scenarios.longBusy)
      this.busyLeft.set(`${f.pass}:${f.call}`, f.seconds ?? 2); // 2 x 100 s passes the 120 s cap
  }

  async downloadFacility(
    op: FacilityOp,
    stream: Uint8Array,
    entries: number,
    token: bigint,
  ): Promise<HcallAnswer> {
    const seq = this.sequence;
    if (seq?.continuedAt != null && this.env.clock() - seq.continuedAt > CONTINUE_LIMIT_MS) {
      // §6 [UNCONFIRMED] what the hypervisor answers once it abandoned the sequence. H_STATE by
      // default: LoPAR says a facility reset is needed first, which is H_STATE's "not in a valid
      // state"; H_PARAMETER (a token it forgot) is the alternative, as abandon-rc@H_PARAMETER.
      this.sequence = null;
      this.abandoned = true;
    }
    if (this.abandoned) return { rc: this.env.scenarios.abandonRc, r4: 0n };
    if (token === 0n && this.sequence) return this.fail(H_STATE); // a download is already in progress
    if (
      token !== 0n &&
      (!this.sequence || this.sequence.op !== op || this.sequence.token !== token)
    )
      return this.fail(H_PARAMETER); // a token this hypervisor did not hand out, or a stale one
    if (this.sequence?.continuedAt != null) {
      this.sequence.gaps.push(this.env.clock() - this.sequence.continuedAt);
      this.sequence.continuedAt = null; // arrived in time
    }
    const pass: Pass = op === OP_DOWNLOAD ? 'download' : 'validate';
    const call = (this.sequence?.calls ?? 0) + 1;
    // Long-busy answers come before any work; the retry resends the same token (§4.7).
    const busy = this.longBusy(pass, call, token);
    if (busy) return busy;
    const fault = this.takeFault(pass, call);
    if (fault !== null && REJECTIONS.has(fault)) return this.fail(fault);
    const current: Sequence = this.sequence ?? {
      op,
      token,
      calls: 0,
      received: 0,
      expected: null,
      head: Buffer.alloc(0),
      programmed: op === OP_DOWNLOAD ? createHash('sha256') : null,
      gaps: [],
      continuedAt: null,
    };
    this.sequence = current;
    if (entries === 0) return this.fail(H_PARAMETER); // an empty S/G list
    this.hcallStartedAt = performance.now();
    this.hcallClockStart = this.env.clock();
    this.expectedRealMs = 0;
    const rc =
      op === OP_DOWNLOAD
        ? await this.program(current, stream, call)
        : await this.compare(current, stream);
    if (fault !== null) return this.fail(fault);
    // validate-early@K: the hypervisor declares the image validated before the last call
    if (rc === H_CONTINUE && op === OP_VALIDATE && this.env.scenarios.validateEarly === call)
      return this.finish();
    if (rc !== H_CONTINUE) return rc === H_SUCCESS ? this.finish() : this.fail(rc);
    current.calls = call;
    current.token = this.nextToken++;
    // The hypervisor answered when its work was done, however late this process picked the
    // answer up (stopped by SIGSTOP, a long pause): the 3 seconds count from then (§6).
    current.continuedAt = this.env.clock() - this.lateInClock();
    return { rc: H_CONTINUE, r4: current.token };
  }

  /** Simulated work inside one hcall: real timers, scaled by the speed. */
  private async work(simulatedMs: number): Promise<void> {
    this.expectedRealMs += simulatedMs / this.env.timing.speed;
    await simulatedDelay(this.env.timing, simulatedMs);
  }

  /**
   * An hcall that took far longer than its simulated work means this process was not running
   * (stopped, SIGSTOP) while the hypervisor was, whether the stop fell in a timer or in the
   * simulator's own work: that excess, in the clock's units, was the hypervisor's time, and its
   * 3 seconds ran. A busy machine's ordinary slowness (under 250 ms) is the simulator's own, not
   * a delay of the program's, and is not counted.
   */
  private lateInClock(): number {
    const real = performance.now() - this.hcallStartedAt;
    const late = real - this.expectedRealMs;
    if (late <= STOPPED_PROCESS_MS || real <= 0) return 0;
    return late * ((this.env.clock() - this.hcallClockStart) / real);
  }

  /** H_CONTROL_CA_FACILITY reset (§4.4): ends any sequence; activates a validated image (LoPAR). */
  reset(): void {
    this.sequence = null;
    this.abandoned = false;
    const { store, storage, scenarios } = this.env;
    const image = store.current.image;
    if (this.validated && image.state === 'downloaded') {
      // The digest taken while programming, when there is one: re-reading the flash costs a
      // second pass over the image inside the flashing process.
      const sha = image.sha256 ?? storage.sha256();
      store.update((m) => {
        const revision =
          m.knownImages[sha] ??
          Math.max(m.factoryPslRevision, m.pslRevision, ...Object.values(m.knownImages)) + 1;
        return {
          ...m,
          pslRevision: revision,
          image: { state: 'valid', sha256: sha, origin: 'flashed' },
          knownImages: { ...m.knownImages, [sha]: revision },
        };
      });
    } else if (image.state !== 'valid' && scenarios.factoryFallback) {
      storage.erase();
      store.update((m) => factoryFallback(m));
    }
    this.validated = false;
  }

  private fail(rc: number): HcallAnswer {
    this.recordGaps();
    this.sequence = null; // LoPAR: any error aborts the download
    return { rc, r4: 0n };
  }

  private finish(): HcallAnswer {
    this.recordGaps();
    if (this.sequence?.op === OP_VALIDATE) this.validated = true;
    this.sequence = null;
    return { rc: H_SUCCESS, r4: 0n };
  }

  /** Keep what this sequence's gaps were, for `npm run bench` and anyone reading model.json. */
  private recordGaps(): void {
    const seq = this.sequence;
    if (!seq || seq.calls === 0) return;
    const pass: Pass = seq.op === OP_DOWNLOAD ? 'download' : 'validate';
    const round = (ms: number): number => Math.round(ms * 1000) / 1000;
    const p99 = percentile(seq.gaps, 99);
    const stats: HypervisorGapStats = {
      calls: seq.calls + 1,
      largestMs: round(Math.max(0, ...seq.gaps)),
      p99Ms: p99 === null ? null : round(p99),
    };
    this.env.store.update((m) => ({
      ...m,
      hypervisorGaps: { ...m.hypervisorGaps, [pass]: stats },
    }));
  }

  private longBusy(pass: Pass, call: number, token: bigint): HcallAnswer | null {
    const key = `${pass}:${call}`;
    const left = this.busyLeft.get(key) ?? 0;
    if (left <= 0) return null;
    this.busyLeft.set(key, left - 1);
    const timeout = this.env.scenarios.longBusy.some(
      (f) => `${f.pass}:${f.call}` === key && f.seconds === null,
    );
    return { rc: timeout ? H_LONG_BUSY_ORDER_100_SEC : H_LONG_BUSY_ORDER_1_SEC, r4: token };
  }

  /** The keys of the faults that have fired, for the next device thread of this run. */
  firedFaults(): string[] {
    return [...this.fired];
  }

  /** True the first time `key` is asked for in this run: every fault fires once per run. */
  private once(key: string): boolean {
    if (this.fired.has(key)) return false;
    this.fired.add(key);
    return true;
  }

  private takeFault(pass: Pass, call: number): number | null {
    const fault = this.env.scenarios.faults.find((f) => f.pass === pass && f.call === call);
    return fault && this.once(`${pass}:${call}`) ? fault.rc : null;
  }

  /** Header check, erase on the first call, then program what the header says is the image. */
  private async program(seq: Sequence, stream: Uint8Array, call: number): Promise<number> {
    const { store, storage, timing, scenarios } = this.env;
    if (seq.expected === null) {
      seq.head = Buffer.concat([
        seq.head,
        stream.subarray(0, CXL_AI_HEADER_SIZE - seq.head.length),
      ]);
      if (seq.head.length === CXL_AI_HEADER_SIZE) {
        const expected = headerImageEnd(seq.head);
        if (expected === null) return H_BAD_DATA; // header version not supported (LoPAR)
        seq.expected = expected;
      }
    }
    if (call === 1) {
      storage.erase();
      store.update((m) => ({
        ...m,
        image: { state: 'erased', sha256: null, origin: 'flashed' },
        lastEvent: 'download started: image erased',
      }));
      await this.work(timing.eraseMs);
    }
    const room = seq.expected === null ? stream.length : Math.max(0, seq.expected - seq.received);
    const start = seq.received;
    const programmed = stream.subarray(0, room);
    storage.append(programmed);
    seq.programmed?.update(programmed);
    seq.received += stream.length;
    if (scenarios.mismatch === call && this.once('mismatch')) {
      storage.corrupt(Math.max(start, CXL_AI_HEADER_SIZE));
      seq.programmed = null;
    }
    await this.work(transferMs(timing, 'download', stream.length));
    const complete = seq.expected !== null && seq.received >= seq.expected;
    if (complete && scenarios.mismatch === 'last' && this.once('mismatch')) {
      storage.corrupt(storage.length - 1);
      seq.programmed = null;
    }
    const state = complete ? 'downloaded' : 'partial';
    // model.json is rewritten only when the state changes, not on each of up to 257 calls.
    if (store.current.image.state !== state || complete)
      store.update((m) => ({
        ...m,
        image: {
          ...m.image,
          state,
          sha256: complete ? (seq.programmed?.digest('hex') ?? null) : null,
        },
      }));
    if (complete) this.validated = false;
    return complete ? H_SUCCESS : H_CONTINUE;
  }

  /** Compare with the flash from byte 0, header included; H_BAD_DATA at the first difference. */
  private async compare(seq: Sequence, stream: Uint8Array): Promise<number> {
    const { store, storage, timing } = this.env;
    const { state, origin } = store.current.image;
    // Only a complete image can be compared; the factory image's bytes are unknown here.
    const complete = state === 'downloaded' || (state === 'valid' && origin === 'flashed');
    const stored = complete ? storage.length : 0;
    const room = Math.max(0, Math.min(stream.length, stored - seq.received));
    const same = stored > 0 && storage.matches(seq.received, stream.subarray(0, room));
    await this.work(transferMs(timing, 'validate', stream.length));
    if (!same) return H_BAD_DATA;
    seq.received += stream.length; // bytes past the stored image are ignored: an early 0 (§4.8)
    return seq.received >= stored ? H_SUCCESS : H_CONTINUE;
  }
}

/** §3: version 1 and image_offset 128, else null; the end of the image in the stream otherwise. */
export function headerImageEnd(head: Buffer): number | null {
  if (head.readUInt16BE(0) !== 1 || head.readBigUInt64BE(16) !== BigInt(CXL_AI_HEADER_SIZE))
    return null;
  const length = head.readBigUInt64BE(24);
  if (length === 0n || length > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  return CXL_AI_HEADER_SIZE + Number(length);
}

/** `factory-fallback`: the adapter boots its factory image when the user image is gone. */
export function factoryFallback(m: SimModel): SimModel {
  return {
    ...m,
    pslRevision: m.factoryPslRevision,
    image: { state: 'valid', sha256: null, origin: 'factory' },
    lastEvent: 'the adapter fell back to its factory image',
  };
}

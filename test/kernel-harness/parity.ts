/**
 * Runs one scenario through the simulator's driver and through the kernel's flash.c (the harness
 * library), the program's way, and returns what each did: the calls and their return values and
 * errno, the kernel log, the adapter state. Used by parity.test.ts and, with plain node, by
 * scripts/kernel-harness-parity.ts under ppc64le emulation.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chunkPlan } from '../../src/image/chunk-plan.js';
import type { CardDevice, TransferOutcome } from '../../src/ioctl/card-device.js';
import { kmsg, startSimulation, testImage, type SimHandle } from '../helpers/sim.js';
import { KernelHarness } from './kernel-harness.js';

export interface Trace {
  readonly calls: string[];
  readonly kmsg: string[];
  readonly state: unknown;
  readonly flash: string;
}

export interface Pause {
  /** before this download call, counted from 0 */
  readonly call: number;
  readonly ms: number;
}

const describeOutcome = (o: TransferOutcome): string =>
  o.kind === 'error' ? `-1 errno ${o.errno}` : o.kind === 'done' ? '0' : '1';

function must(what: string, ok: boolean): void {
  if (!ok) throw new Error(what);
}

/** The program's way: plan, download until not 1, validate if the download ended 0, close. */
async function drive(device: CardDevice, size: number, pause: Pause | null): Promise<string[]> {
  const image = testImage(size);
  const calls: string[] = [];
  must('open', (await device.open()).ok);
  for (const pass of ['download', 'validate'] as const) {
    let last: TransferOutcome | null = null;
    for (const call of chunkPlan(size).calls) {
      if (pass === 'download' && pause?.call === call.index)
        await new Promise((r) => setTimeout(r, pause.ms));
      last = await device[pass]({
        flags: call.flags,
        data: image.padded.subarray(call.offset),
        lenData: call.lenData,
        lenImage: size,
      });
      calls.push(`${pass} ${call.index + 1}: ${describeOutcome(last)}`);
      if (last.kind !== 'continue') break;
    }
    if (last?.kind !== 'done') break;
  }
  must('close', (await device.close()).ok);
  return calls;
}

function snapshot(h: SimHandle, calls: string[]): Trace {
  const m = h.sim.state();
  const file = join(h.dir, 'flash.bin');
  return {
    calls,
    // a continue token is the hypervisor's clock at start-up, different in each run
    kmsg: kmsg(h.sim).map((line) =>
      line.replace(/PID: \d+/, 'PID: N').replace(/\), 0x[0-9a-f]{9,}\): /, '), TOKEN): '),
    ),
    // lastEvent words differ by design (the harness cannot know why flash.c reset); gaps are timing
    state: {
      image: m.image,
      pslRevision: m.pslRevision,
      card: m.card,
      holder: m.holder,
      knownImages: m.knownImages,
    },
    flash: existsSync(file) ? createHash('sha256').update(readFileSync(file)).digest('hex') : '',
  };
}

export async function throughSimulator(
  scenarios: readonly string[],
  size: number,
  pause: Pause | null = null,
): Promise<Trace> {
  const h = await startSimulation(scenarios);
  try {
    return snapshot(h, await drive(h.sim.openCardDevice('/dev/cxl/card0'), size, pause));
  } finally {
    await h.cleanup();
  }
}

/** The kernel's trace, and what the harness saw go wrong inside (must be empty). */
export async function throughKernel(
  library: string,
  scenarios: readonly string[],
  size: number,
  pause: Pause | null = null,
): Promise<{ trace: Trace; problems: unknown[] }> {
  const h = await startSimulation(scenarios);
  const kernel = KernelHarness.attach(library, h.sim);
  try {
    const calls = await drive(kernel.openCardDevice(), size, pause);
    return { trace: snapshot(h, calls), problems: [...kernel.errors, ...kernel.of('overrun')] };
  } finally {
    kernel.detach();
    await h.cleanup();
  }
}

/** `download: 1 x64, 0; validate: ...`: each pass's returns, runs of the same one counted. */
export function summariseCalls(calls: readonly string[]): string {
  const passes = new Map<string, string[]>();
  for (const c of calls) {
    const [pass = '', rest = ''] = c.split(/ \d+: /);
    passes.set(pass, [...(passes.get(pass) ?? []), rest]);
  }
  return [...passes]
    .map(([pass, returns]) => {
      const runs: string[] = [];
      for (let i = 0; i < returns.length;) {
        let j = i;
        while (j < returns.length && returns[j] === returns[i]) j++;
        runs.push(j - i > 1 ? `${returns[i]} x${j - i}` : (returns[i] ?? ''));
        i = j;
      }
      return `${pass}: ${runs.join(', ')}`;
    })
    .join('; ');
}

const MiB = 1024 * 1024;

/** name, image size, simulator scenarios, an optional pause (the 3-second rule) */
export type ParityCase = [name: string, size: number, scenarios: string[], pause: Pause | null];

export const PARITY_CASES: ParityCase[] = [
  ['sizes', 1, [], null],
  ['sizes', 3967, [], null],
  ['sizes', 3968, [], null],
  ['sizes', 1_048_448, [], null],
  ['sizes', 1_048_449, [], null],
  ['sizes', 1_048_576, [], null],
  ['sizes', 1_048_577, [], null],
  ['sizes', 64 * MiB, [], null],
  ['download-fail@2:H_HARDWARE', 2_500_000, ['download-fail@2:H_HARDWARE'], null],
  ['download-fail@1:H_AUTHORITY', 2_500_000, ['download-fail@1:H_AUTHORITY'], null],
  ['download-fail@3:H_SG_LIST', 2_500_000, ['download-fail@3:H_SG_LIST'], null],
  ['download-fail@2:-9 (unknown code)', 2_500_000, ['download-fail@2:-9'], null],
  ['validate-fail@1:H_PARAMETER', 2_500_000, ['validate-fail@1:H_PARAMETER'], null],
  ['validate-fail@3:H_STATE', 2_500_000, ['validate-fail@3:H_STATE'], null],
  ['validate-mismatch', 2_500_000, ['validate-mismatch'], null],
  ['validate-mismatch@2', 2_500_000, ['validate-mismatch@2'], null],
  ['long-busy@2', 2_500_000, ['long-busy@2'], null],
  ['validate-long-busy@3:2', 2_500_000, ['validate-long-busy@3:2'], null],
  ['long-busy-timeout@2', 2_500_000, ['long-busy-timeout@2'], null],
  ['validate-early@2', 2_500_000, ['validate-early@2'], null],
  ['devicetree-update-fail', 2_500_000, ['devicetree-update-fail'], null],
  ['devicetree-update-fail@ENOMEM', 2_500_000, ['devicetree-update-fail@ENOMEM'], null],
  ['abandon (3.2 s before download call 2)', 2_500_000, [], { call: 1, ms: 3200 }],
  ['abandon-rc@H_PARAMETER', 2_500_000, ['abandon-rc@H_PARAMETER'], { call: 1, ms: 3200 }],
];

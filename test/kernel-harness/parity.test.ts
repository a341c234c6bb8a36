/**
 * One hypervisor, two drivers: every scenario runs through the simulator's driver
 * (src/sim/driver.ts) and through the kernel's own flash.c and hcalls.c (the harness), driven
 * the same way by the program's IoctlCardDevice-compatible calls. The calls, their return
 * values and errno, the kernel log lines and the adapter state must be the same; a difference
 * is a bug in our driver model.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, beforeAll } from 'vitest';
import { chunkPlan } from '../../src/image/chunk-plan.js';
import type { CardDevice, TransferOutcome } from '../../src/ioctl/card-device.js';
import { kmsg, startSimulation, testImage, type SimHandle } from '../helpers/sim.js';
import type { KernelPageSize } from './build.js';
import { harnessLibrary, skipReason, prepareHarness, PREPARE_TIMEOUT_MS } from './kernel-engine.js';
import { KernelHarness } from './kernel-harness.js';

const skip = skipReason();
beforeAll(prepareHarness, PREPARE_TIMEOUT_MS);
const MiB = 1024 * 1024;

interface Trace {
  readonly calls: string[];
  readonly kmsg: string[];
  readonly state: unknown;
  readonly flash: string;
}

const describeOutcome = (o: TransferOutcome): string =>
  o.kind === 'error' ? `-1 errno ${o.errno}` : o.kind === 'done' ? '0' : '1';

/** The program's way: plan, download until not 1, validate until not 1 if the download ended 0, close. */
async function drive(device: CardDevice, size: number, pause?: { call: number; ms: number }) {
  const image = testImage(size);
  const calls: string[] = [];
  expect(await device.open()).toEqual({ ok: true });
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
  expect(await device.close()).toEqual({ ok: true });
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

async function throughSimulator(
  scenarios: string[],
  size: number,
  pause?: { call: number; ms: number },
) {
  const h = await startSimulation(scenarios);
  try {
    return snapshot(h, await drive(h.sim.openCardDevice('/dev/cxl/card0'), size, pause));
  } finally {
    await h.cleanup();
  }
}

async function throughKernel(
  scenarios: string[],
  size: number,
  pageSize: KernelPageSize,
  pause?: { call: number; ms: number },
) {
  const h = await startSimulation(scenarios);
  const kernel = KernelHarness.attach(harnessLibrary(pageSize), h.sim);
  try {
    const calls = await drive(kernel.openCardDevice(), size, pause);
    expect(kernel.errors).toEqual([]);
    expect(kernel.of('overrun')).toEqual([]);
    return snapshot(h, calls);
  } finally {
    kernel.detach();
    await h.cleanup();
  }
}

/** `download: 1 x64, 0; validate: ...`: each pass's returns, runs of the same one counted. */
function summariseCalls(calls: readonly string[]): string {
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

const rows: string[] = [];
afterAll(() => {
  if (rows.length > 0)
    console.log(
      [
        '| scenario | size | calls (both drivers) | kmsg lines | image after |',
        '|---|---|---|---|---|',
        ...rows,
      ].join('\n'),
    );
});

const cases: [string, number, string[], { call: number; ms: number }?][] = [
  ['sizes', 1, []],
  ['sizes', 3967, []],
  ['sizes', 3968, []],
  ['sizes', 1_048_448, []],
  ['sizes', 1_048_449, []],
  ['sizes', 1_048_576, []],
  ['sizes', 1_048_577, []],
  ['sizes', 64 * MiB, []],
  ['download-fail@2:H_HARDWARE', 2_500_000, ['download-fail@2:H_HARDWARE']],
  ['download-fail@1:H_AUTHORITY', 2_500_000, ['download-fail@1:H_AUTHORITY']],
  ['download-fail@3:H_SG_LIST', 2_500_000, ['download-fail@3:H_SG_LIST']],
  ['download-fail@2:-9 (unknown code)', 2_500_000, ['download-fail@2:-9']],
  ['validate-fail@1:H_PARAMETER', 2_500_000, ['validate-fail@1:H_PARAMETER']],
  ['validate-fail@3:H_STATE', 2_500_000, ['validate-fail@3:H_STATE']],
  ['validate-mismatch', 2_500_000, ['validate-mismatch']],
  ['validate-mismatch@2', 2_500_000, ['validate-mismatch@2']],
  ['long-busy@2', 2_500_000, ['long-busy@2']],
  ['validate-long-busy@3:2', 2_500_000, ['validate-long-busy@3:2']],
  ['long-busy-timeout@2', 2_500_000, ['long-busy-timeout@2']],
  ['validate-early@2', 2_500_000, ['validate-early@2']],
  ['devicetree-update-fail', 2_500_000, ['devicetree-update-fail']],
  ['devicetree-update-fail@ENOMEM', 2_500_000, ['devicetree-update-fail@ENOMEM']],
  ['abandon (3.2 s before download call 2)', 2_500_000, [], { call: 1, ms: 3200 }],
  ['abandon-rc@H_PARAMETER', 2_500_000, ['abandon-rc@H_PARAMETER'], { call: 1, ms: 3200 }],
];

describe.skipIf(skip !== null)('parity: the simulator’s driver and the kernel’s flash.c', () => {
  it.each(cases)(
    '%s, %i bytes: same calls, returns, errno, kmsg and adapter state',
    async (name, size, scenarios, pause) => {
      const simulated = await throughSimulator(scenarios, size, pause);
      const kernel64 = await throughKernel(scenarios, size, 65536, pause);
      expect(kernel64).toEqual(simulated);
      if (size <= 1_048_577 && !pause) {
        const kernel4 = await throughKernel(scenarios, size, 4096);
        expect(kernel4).toEqual(simulated);
      }
      const state = simulated.state as { image: { state: string } };
      rows.push(
        `| ${name} | ${size} | ${summariseCalls(simulated.calls)} | ${simulated.kmsg.length} | ${state.image.state} |`,
      );
    },
    120_000,
  );
});

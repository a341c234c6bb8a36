/**
 * Drives the simulated adapter the way docs/kernel-contract.md §4.8 says a flasher must: the chunk plan,
 * NEED_HEADER on the first call of each pass, the image padded with 128 readable bytes (§3).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chunkPlan } from '../../src/image/chunk-plan.js';
import type { CardDevice, TransferOutcome } from '../../src/ioctl/card-device.js';
import {
  openSimulation,
  type Simulation,
  type SimulationOptions,
} from '../../src/sim/simulation.js';
import { parseKmsgText } from '../../src/hardware/kernel-log.js';

export const MiB = 1024 * 1024;

export interface TestImage {
  readonly size: number;
  /** the payload followed by 128 zero bytes */
  readonly padded: Buffer;
}

export function testImage(size: number, seed = 7): TestImage {
  const padded = Buffer.alloc(size + 128);
  for (let i = 0; i < size; i++) padded[i] = (i * seed + (i >> 8)) & 0xff;
  return { size, padded };
}

export interface SimHandle {
  readonly sim: Simulation;
  readonly dir: string;
  reopen(scenarios?: readonly string[], extra?: Partial<SimulationOptions>): Promise<Simulation>;
  cleanup(): Promise<void>;
}

/** A simulation in a fresh temp dir; `reopen` starts another run on the same dir. */
export async function startSimulation(
  scenarios: readonly string[] = [],
  extra: Partial<SimulationOptions> = {},
): Promise<SimHandle> {
  const dir = mkdtempSync(join(tmpdir(), 'cxl-sim-'));
  const opened: Simulation[] = [];
  const open = async (s: readonly string[], e: Partial<SimulationOptions>): Promise<Simulation> => {
    const sim = await openSimulation({ dir, scenarios: ['speed@1000', ...s], ...e });
    opened.push(sim);
    return sim;
  };
  const sim = await open(scenarios, extra);
  return {
    sim,
    dir,
    reopen: (s = [], e = {}) => open(s, e),
    async cleanup() {
      for (const s of opened) await s.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface PassOptions {
  /** `len_image` to declare; defaults to the image size */
  readonly lenImage?: number;
  /** the first call to make, counted from 0 (to resume a pass) */
  readonly from?: number;
  /** stop before this call, counted from 0 */
  readonly until?: number;
}

/** One pass of the chunk plan; stops at the first error or done. */
export async function runPass(
  device: CardDevice,
  pass: 'download' | 'validate',
  image: TestImage,
  options: PassOptions = {},
): Promise<TransferOutcome[]> {
  const outcomes: TransferOutcome[] = [];
  const calls = chunkPlan(image.size).calls.slice(options.from ?? 0, options.until);
  for (const call of calls) {
    const outcome = await device[pass]({
      flags: call.flags,
      data: image.padded.subarray(call.offset),
      lenData: call.lenData,
      lenImage: options.lenImage ?? image.size,
    });
    outcomes.push(outcome);
    if (outcome.kind !== 'continue') break;
  }
  return outcomes;
}

/** Download then validate; returns both passes' outcomes. */
export async function flash(device: CardDevice, image: TestImage) {
  const download = await runPass(device, 'download', image);
  const validate = await runPass(device, 'validate', image);
  return { download, validate };
}

export const kinds = (outcomes: readonly TransferOutcome[]): string[] =>
  outcomes.map((o) => (o.kind === 'error' ? `error:${o.errno}` : o.kind));

/** The messages of the simulated kernel log. */
export function kmsg(sim: Simulation): string[] {
  return parseKmsgText(readFileSync(sim.root.path('/dev/kmsg'), 'utf8')).map((r) => r.message);
}

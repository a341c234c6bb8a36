/**
 * The program's flash engine (FlashController, FlashAttempt, the pass engine, IoctlCardDevice)
 * on a simulation whose card device is the kernel's own flash.c, through the harness library.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildKernelHarness, harnessUnavailable, type KernelPageSize } from './build.js';
import { KernelHarness } from './kernel-harness.js';
import { engineRun, type EngineRun } from '../helpers/engine.js';
import { CallTimer } from '../../src/flash/call-timer.js';
import { runPass, type PassImage, type PassResult } from '../../src/flash/transfer.js';
import { chunkPlan } from '../../src/image/chunk-plan.js';
import type { CardDevice } from '../../src/ioctl/card-device.js';

const built = new Map<KernelPageSize, string>();
const outDir = mkdtempSync(join(tmpdir(), 'cxl-kernel-lib-'));

/** The harness library for a page size, built once per test file. */
export function harnessLibrary(pageSize: KernelPageSize): string {
  let path = built.get(pageSize);
  if (!path) {
    path = buildKernelHarness(pageSize, outDir);
    built.set(pageSize, path);
  }
  return path;
}

/**
 * Extract the kernel source and build both libraries, in a test file's beforeAll: the first
 * extraction reads the whole 150 MB tarball, far longer than one test may take.
 */
export function prepareHarness(): void {
  if (skipReason() !== null) return;
  harnessLibrary(65536);
  harnessLibrary(4096);
}

/** How long prepareHarness may take on a loaded machine. */
export const PREPARE_TIMEOUT_MS = 600_000;

/**
 * Why the suite cannot run here. With CXL_KERNEL_HARNESS_REQUIRED set (CI), a missing kernel
 * source or compiler fails the suite instead of skipping it.
 */
export function skipReason(): string | null {
  const reason = harnessUnavailable();
  if (reason && process.env.CXL_KERNEL_HARNESS_REQUIRED) throw new Error(reason);
  return reason;
}

export interface KernelEngineRun extends EngineRun {
  readonly kernel: KernelHarness;
}

export async function kernelEngineRun(
  scenarios: readonly string[],
  options: { imageSize?: number; pageSize?: KernelPageSize; reloadTimeoutMs?: number } = {},
): Promise<KernelEngineRun> {
  const library = harnessLibrary(options.pageSize ?? 65536);
  let kernel: KernelHarness | null = null;
  const run = await engineRun(scenarios, {
    imageSize: options.imageSize,
    reloadTimeoutMs: options.reloadTimeoutMs,
    wrapServices: (services, context) => {
      const sim = context.simulation;
      if (!sim) throw new Error('the kernel harness needs a simulation');
      kernel = KernelHarness.attach(library, sim);
      const k = kernel;
      return { ...services, localCardDevice: () => Promise.resolve(k.openCardDevice()) };
    },
  });
  const harness = kernel as KernelHarness | null;
  if (!harness) throw new Error('the engine did not build its services');
  return {
    ...run,
    kernel: harness,
    async dispose() {
      harness.detach();
      await run.dispose();
    },
  };
}

/** Both passes of the program's pass engine (src/flash/transfer.ts), then close. */
export async function passEngineFlash(
  device: CardDevice,
  image: PassImage,
): Promise<{ download: PassResult; validate: PassResult | null }> {
  const plan = chunkPlan(image.size);
  const timer = new CallTimer();
  const hooks = { shouldStop: () => false };
  const download = await runPass(device, 'download', image, plan, timer, hooks);
  const validate =
    download.kind === 'complete'
      ? await runPass(device, 'validate', image, plan, timer, hooks)
      : null;
  await device.close();
  return { download, validate };
}

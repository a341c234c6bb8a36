/**
 * Loaded with `node --import tsx --import ./test/kernel-harness/cli-preload.ts dist/cli.js
 * --simulate ...`: the built CLI's simulated card device becomes the kernel's own flash.c (the
 * harness library named by CXL_KERNEL_HARNESS_LIBRARY) in front of the same simulated adapter.
 * Only a test can do this; a normal install never loads this file.
 */
import { KERNEL_HARNESS_SEAM, type KernelHarnessSeam } from '../../src/sim/simulation.js';
import { KernelHarness } from './kernel-harness.js';

const library = process.env.CXL_KERNEL_HARNESS_LIBRARY;
if (!library) throw new Error('cli-preload: set CXL_KERNEL_HARNESS_LIBRARY');
let harness: KernelHarness | null = null;

const seam: KernelHarnessSeam = (_path, simulation) => {
  harness ??= KernelHarness.attach(library, simulation);
  return harness.openCardDevice();
};
(globalThis as Record<symbol, unknown>)[KERNEL_HARNESS_SEAM] = seam;

process.on('exit', () => {
  // what the kernel did, for the test to read: one JSON line on stderr
  if (harness)
    process.stderr.write(
      `kernel-harness ${JSON.stringify({
        events: harness.events.filter((e) => e.kind !== 'hcall').map((e) => e.kind),
        hcalls: harness.of('hcall').length,
        errors: harness.errors.map(String),
      })}\n`,
    );
});

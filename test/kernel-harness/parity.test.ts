/**
 * One hypervisor, two drivers: every scenario runs through the simulator's driver
 * (src/sim/driver.ts) and through the kernel's own flash.c and hcalls.c (the harness), driven
 * the same way through the CardDevice interface IoctlCardDevice implements. The calls, their
 * return values and errno, the kernel log lines and the adapter state must be the same; a
 * difference is a bug in our driver model.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harnessLibrary, prepareHarness, PREPARE_TIMEOUT_MS, skipReason } from './kernel-engine.js';
import { PARITY_CASES, summariseCalls, throughKernel, throughSimulator } from './parity.js';

const skip = skipReason();
beforeAll(prepareHarness, PREPARE_TIMEOUT_MS);

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

describe.skipIf(skip !== null)('parity: the simulator’s driver and the kernel’s flash.c', () => {
  it.each(PARITY_CASES)(
    '%s, %i bytes: same calls, returns, errno, kmsg and adapter state',
    async (name, size, scenarios, pause) => {
      const simulated = await throughSimulator(scenarios, size, pause);
      const kernel64 = await throughKernel(harnessLibrary(65536), scenarios, size, pause);
      expect(kernel64.problems).toEqual([]);
      expect(kernel64.trace).toEqual(simulated);
      if (size <= 1_048_577 && !pause) {
        const kernel4 = await throughKernel(harnessLibrary(4096), scenarios, size);
        expect(kernel4.problems).toEqual([]);
        expect(kernel4.trace).toEqual(simulated);
      }
      const state = simulated.state as { image: { state: string } };
      rows.push(
        `| ${name} | ${size} | ${summariseCalls(simulated.calls)} | ${simulated.kmsg.length} | ${state.image.state} |`,
      );
    },
    120_000,
  );
});

/**
 * flash.c: handle_image on a 4 KiB-page kernel. A NEED_HEADER call with one partial S/G buffer
 * copies len_data + 128 bytes to buffer[0] + 128, so len_data 3841..3967 writes up to 127 bytes
 * past the page get_zeroed_page gave it. The program's chunk plan must never make that call.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { runHeadlessFlash } from '../../src/flash/headless.js';
import { chunkPlan } from '../../src/image/chunk-plan.js';
import { CXL_AI_NEED_HEADER } from '../../src/ioctl/abi.js';
import { startSimulation, testImage } from '../helpers/sim.js';
import {
  harnessLibrary,
  kernelEngineRun,
  skipReason,
  prepareHarness,
  PREPARE_TIMEOUT_MS,
} from './kernel-engine.js';
import { KernelHarness } from './kernel-harness.js';

const skip = skipReason();
beforeAll(prepareHarness, PREPARE_TIMEOUT_MS);

describe.skipIf(skip !== null)('handle_image and the kernel page size', () => {
  it('with 4 KiB pages a header call of len_data 3900 writes 60 bytes past buffer[0] (the kernel’s bug, seen by the harness)', async () => {
    const h = await startSimulation();
    const kernel = KernelHarness.attach(harnessLibrary(4096), h.sim);
    try {
      const image = testImage(3900);
      const device = kernel.openCardDevice();
      expect(await device.open()).toEqual({ ok: true });
      const fields = {
        flags: CXL_AI_NEED_HEADER,
        data: image.padded,
        lenData: 3900,
        lenImage: 3900,
      };
      expect(await device.download(fields)).toEqual({ kind: 'done' });
      await device.close();
      expect(kernel.of('overrun')).toEqual([{ kind: 'overrun', bytes: 60, pageSize: 4096 }]);
    } finally {
      kernel.detach();
      await h.cleanup();
    }
  });

  it('with 64 KiB pages the same call stays inside buffer[0]', async () => {
    const h = await startSimulation();
    const kernel = KernelHarness.attach(harnessLibrary(65536), h.sim);
    try {
      const image = testImage(3900);
      const device = kernel.openCardDevice();
      expect(await device.open()).toEqual({ ok: true });
      const fields = {
        flags: CXL_AI_NEED_HEADER,
        data: image.padded,
        lenData: 3900,
        lenImage: 3900,
      };
      expect(await device.download(fields)).toEqual({ kind: 'done' });
      await device.close();
      expect(kernel.of('overrun')).toEqual([]);
    } finally {
      kernel.detach();
      await h.cleanup();
    }
  });

  it.each([3841, 3900, 3967, 3840, 3968, 5000])(
    'the engine flashes %i bytes on a 4 KiB-page kernel without handle_image writing past a page',
    async (size) => {
      const run = await kernelEngineRun([], { imageSize: size, pageSize: 4096 });
      try {
        expect(
          await runHeadlessFlash(run.controller, { imagePath: run.imagePath, yes: true }),
        ).toBe(0);
        expect(run.kernel.of('overrun')).toEqual([]);
        expect(run.kernel.errors).toEqual([]);
        const first = chunkPlan(size).calls[0]?.lenData ?? 0;
        expect(first <= 3840 || first >= 3968).toBe(true);
      } finally {
        await run.dispose();
      }
    },
  );
});

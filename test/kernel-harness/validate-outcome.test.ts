/**
 * What the kernel's transfer_image does after the hypervisor accepts a VALIDATE call, read
 * through the engine: the success path (cxl_guest_remove_afu, cxl_h_reset_adapter,
 * update_devicetree, transfer = 1) and device_close's re-probe, even when the ioctl does not
 * return 0 on the last call. The same scenarios run through the simulator's driver must agree.
 */
import { afterEach, describe, expect, it, beforeAll } from 'vitest';
import { runHeadlessFlash } from '../../src/flash/headless.js';
import { engineRun, type EngineRun } from '../helpers/engine.js';
import {
  kernelEngineRun,
  skipReason,
  type KernelEngineRun,
  prepareHarness,
  PREPARE_TIMEOUT_MS,
} from './kernel-engine.js';

const skip = skipReason();
beforeAll(prepareHarness, PREPARE_TIMEOUT_MS);
let run: EngineRun | null = null;
afterEach(async () => {
  await run?.dispose();
  run = null;
});

const drivers = [
  ['the kernel’s flash.c', (s: string[]) => kernelEngineRun(s, { imageSize: 2_500_000 })],
  ['the simulator’s driver', (s: string[]) => engineRun(s, { imageSize: 2_500_000 })],
] as const;

describe.each(drivers)('validate outcomes through %s', (name, start) => {
  const maybe = name.startsWith('the kernel') && skip !== null ? it.skip : it;

  maybe(
    'validate-early@2: the hypervisor answers VALIDATE call 2 of 3 with H_SUCCESS; transfer_image takes the success path, the engine follows the reload and says what the hypervisor did',
    async () => {
      run = await start(['validate-early@2']);
      expect(await runHeadlessFlash(run.controller, { imagePath: run.imagePath, yes: true })).toBe(
        0,
      );
      const result = run.controller.store.getState().result;
      expect(result?.outcome).toBe('success');
      expect(result?.message).toMatch(/validation complete after call 2 of 3/);
      expect(result?.after?.pslRevision).not.toBe(result?.before?.pslRevision);
      const [attempt] = run.attempts();
      expect(attempt?.terminal?.type).toBe('success');
      expect(attempt?.terminal?.message).toMatch(/validation complete after call 2 of 3/);
      expect(run.context.simulation?.state().image.state).toBe('valid');
      if ('kernel' in run) {
        const k = (run as KernelEngineRun).kernel;
        expect(k.of('hcall').map((h) => [h.op, h.rc])).toEqual([
          [1, 18],
          [1, 18],
          [1, 0],
          [2, 18],
          [2, 0],
        ]);
        expect(k.of('reload')).toHaveLength(1);
      }
    },
  );

  it.each([
    ['devicetree-update-fail', 'EINVAL'],
    ['devicetree-update-fail@ENOMEM', 'ENOMEM'],
  ])(
    '%s: the last VALIDATE returns -1 %s with no hcall error logged; update_devicetree failed after transfer = 1, so the image is validated and device_close re-probes: the engine follows the reload',
    async (scenario, errnoName) => {
      if (name.startsWith('the kernel') && skip !== null) return;
      run = await start([scenario]);
      expect(await runHeadlessFlash(run.controller, { imagePath: run.imagePath, yes: true })).toBe(
        0,
      );
      const result = run.controller.store.getState().result;
      expect(result?.outcome).toBe('success');
      expect(result?.message).toMatch(new RegExp(`returned ${errnoName}.*device-tree update`));
      const [attempt] = run.attempts();
      expect(attempt?.terminal?.type).toBe('success');
      expect(attempt?.terminal?.message).toMatch(/device-tree update/);
      expect(run.context.simulation?.state().image.state).toBe('valid');
      if ('kernel' in run) {
        const k = (run as KernelEngineRun).kernel;
        expect(k.of('kmsg')).toEqual([]);
        expect(k.of('reload')).toHaveLength(1);
        expect(k.of('remove-afu')).toHaveLength(1);
      }
    },
  );
});

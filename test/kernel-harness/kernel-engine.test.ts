/**
 * The program's engine against the kernel's own drivers/misc/cxl/flash.c and hcalls.c: every
 * case names the kernel functions it goes through. The hypervisor answering them is the
 * simulator's (src/sim/hypervisor.ts), so a difference from the simulator's tests is a
 * difference between our driver model (src/sim/driver.ts) and the kernel's code.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, beforeAll } from 'vitest';
import { runHeadlessFlash } from '../../src/flash/headless.js';
import { chunkPlan } from '../../src/image/chunk-plan.js';
import { kernelHeader } from '../../src/sim/driver.js';
import { startSimulation, testImage } from '../helpers/sim.js';
import {
  harnessLibrary,
  kernelEngineRun,
  passEngineFlash,
  skipReason,
  type KernelEngineRun,
  prepareHarness,
  PREPARE_TIMEOUT_MS,
} from './kernel-engine.js';
import { KernelHarness } from './kernel-harness.js';

const skip = skipReason();
beforeAll(prepareHarness, PREPARE_TIMEOUT_MS);
let run: KernelEngineRun | null = null;
afterEach(async () => {
  expect(run?.kernel.errors ?? []).toEqual([]);
  await run?.dispose();
  run = null;
});

const flash = (r: KernelEngineRun): Promise<number> =>
  runHeadlessFlash(r.controller, { imagePath: r.imagePath, yes: true });
const kmsgLines = (r: KernelEngineRun): string[] => r.kernel.of('kmsg').map((e) => e.text);
const kinds = (r: KernelEngineRun): string[] =>
  r.kernel.events.filter((e) => e.kind !== 'hcall' && e.kind !== 'kmsg').map((e) => e.kind);

describe.skipIf(skip !== null)('the engine through the kernel’s flash.c (64 KiB pages)', () => {
  it('1 byte through the pass engine (the loader refuses a 1-byte file as one repeated byte): handle_image copies 1 + 128 bytes into buffer[0], validate_image succeeds, device_close re-probes', async () => {
    const h = await startSimulation();
    const kernel = KernelHarness.attach(harnessLibrary(65536), h.sim);
    try {
      const image = testImage(1);
      const device = kernel.openCardDevice();
      expect(await device.open()).toEqual({ ok: true });
      expect(await passEngineFlash(device, image)).toEqual({
        download: { kind: 'complete', calls: 1 },
        validate: { kind: 'complete', calls: 1 },
      });
      expect(kernel.of('hcall').map((c) => [c.op, c.entries, c.length, c.rc])).toEqual([
        [1, 1, 129, 0],
        [2, 1, 129, 0],
      ]);
      expect(kernel.of('reload')).toHaveLength(1);
      expect(h.sim.state().image.state).toBe('valid');
      expect(kernel.errors).toEqual([]);
    } finally {
      kernel.detach();
      await h.cleanup();
    }
  });

  it.each([3967, 3968, 1048448, 1048449, 1048576, 1048577])(
    '%i bytes: device_open, handle_image per call, transfer_image success path (cxl_guest_remove_afu, cxl_h_reset_adapter, update_devicetree), device_close re-probes',
    async (size) => {
      run = await kernelEngineRun([], { imageSize: size });
      expect(await flash(run)).toBe(0);
      const calls = chunkPlan(size).calls.length;
      // handle_image built the header from adapter->guest and sent header + image in order
      const programmed = readFileSync(join(run.dir, 'simulator', 'flash.bin'));
      const model = run.context.simulation?.state();
      if (!model) throw new Error('no simulation');
      expect(programmed.subarray(0, 128).equals(kernelHeader(model.adapter, size))).toBe(true);
      expect(programmed.length).toBe(128 + size);
      expect(programmed.subarray(128).equals(run.image)).toBe(true);
      const hcalls = run.kernel.of('hcall');
      expect(hcalls.map((h) => h.op)).toEqual([
        ...Array<number>(calls).fill(1),
        ...Array<number>(calls).fill(2),
      ]);
      expect(hcalls.map((h) => h.rc)).toEqual([
        ...Array<number>(calls - 1).fill(18),
        0,
        ...Array<number>(calls - 1).fill(18),
        0,
      ]);
      expect(kinds(run)).toEqual([
        'open',
        'remove-afu',
        'facility-reset',
        'update-nodes',
        'update-property',
        'close',
        'reload',
        'close',
      ]);
      expect(kmsgLines(run)).toEqual([]);
      expect(run.kernel.of('overrun')).toEqual([]);
      expect(model.image.state).toBe('valid');
      expect(run.attempts()[0]?.terminal?.type).toBe('success');
    },
  );

  it.each([
    ['download-fail@2:H_HARDWARE', 'DOWNLOAD', 2, -1, 'EBUSY', 1],
    ['download-fail@1:H_AUTHORITY', 'DOWNLOAD', 1, -10, 'EBUSY', 1],
    ['download-fail@3:H_SG_LIST', 'DOWNLOAD', 3, -72, 'EINVAL', 1],
    ['validate-fail@2:H_RESOURCE', 'VALIDATE', 2, -16, 'EBUSY', 1],
    ['validate-fail@1:H_PARAMETER', 'VALIDATE', 1, -4, 'EINVAL', 1],
    ['validate-mismatch', 'VALIDATE', 3, -70, 'EINVAL', 4],
  ] as const)(
    '%s: cxl_h_download_facility logs the code and maps it to %s… transfer_image resets, device_close resets again',
    async (scenario, op, call, rc, errnoName, exitCode) => {
      run = await kernelEngineRun([scenario], { imageSize: 2_500_000 });
      expect(await flash(run)).toBe(exitCode);
      const entries = call === 3 ? Math.ceil((2_500_000 - 2 * 1048576 + 128 - 128) / 4096) : 256;
      expect(kmsgLines(run)).toEqual([
        `cxl_h_download_facility(0x0000000030000001, ${op}(0x3c1e0000, ${'0x' + entries.toString(16)}), 0x0): ${rc}`,
      ]);
      expect(kinds(run)).toEqual(['open', 'facility-reset', 'close', 'facility-reset', 'close']);
      const state = run.controller.store.getState();
      expect(state.error?.errnoName).toBe(errnoName);
      expect(run.attempts()[0]?.terminal?.exitCode).toBe(exitCode);
      // a refused first call (a rejection before any work) leaves the stored image as it was
      if (scenario !== 'download-fail@1:H_AUTHORITY')
        expect(run.context.simulation?.state().image.state).not.toBe('valid');
    },
  );

  it('long-busy@2: cxl_h_download_facility sleeps through the hint and resends the same token', async () => {
    run = await kernelEngineRun(['long-busy@2'], { imageSize: 2_500_000 });
    expect(await flash(run)).toBe(0);
    const hcalls = run.kernel.of('hcall');
    // three 1-second hints (the scenario's default), then the call proceeds with the same token
    expect(hcalls.map((h) => h.rc).slice(0, 6)).toEqual([18, 9903, 9903, 9903, 18, 0]);
    expect(new Set(hcalls.slice(1, 5).map((h) => h.token))).toEqual(new Set([hcalls[0]?.r4]));
    expect(kmsgLines(run)).toEqual([]);
  });

  it('long-busy-timeout@2: cxl_h_download_facility gives up past 120 s with WARN and EBUSY', async () => {
    run = await kernelEngineRun(['long-busy-timeout@2'], { imageSize: 2_500_000 });
    expect(await flash(run)).toBe(1);
    expect(kmsgLines(run).slice(0, 2)).toEqual([
      '------------[ cut here ]------------',
      'Warning: Giving up waiting for CXL hcall 0x364 after 200000 msec',
    ]);
    expect(kmsgLines(run).at(-1)).toMatch(/^cxl_h_download_facility\(.*\): 1$/);
    expect(run.controller.store.getState().error?.errnoName).toBe('EBUSY');
  });
});

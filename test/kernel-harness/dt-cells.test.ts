/**
 * of.c: cxl_of_read_adapter_properties reads vendor-id, device-id, subsystem-vendor-id and
 * subsystem-id with of_property_read_u32, which takes the first cell of a longer property, and
 * handle_image puts those values in the header. The program must read them the same way.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, beforeAll } from 'vitest';
import { runHeadlessFlash } from '../../src/flash/headless.js';
import { kernelHeader } from '../../src/sim/driver.js';
import {
  kernelEngineRun,
  skipReason,
  type KernelEngineRun,
  prepareHarness,
  PREPARE_TIMEOUT_MS,
} from './kernel-engine.js';

const skip = skipReason();
beforeAll(prepareHarness, PREPARE_TIMEOUT_MS);
let run: KernelEngineRun | null = null;
afterEach(async () => {
  await run?.dispose();
  run = null;
});

describe.skipIf(skip !== null)('device-tree ID properties longer than one cell', () => {
  it('are read as their first cell, as of_property_read_u32 does, and the flash goes through', async () => {
    run = await kernelEngineRun([], { imageSize: 100_000 });
    const sim = run.context.simulation;
    const [card] = run.services.discoverCards();
    const node = card?.node.path;
    if (!sim || !node) throw new Error('no simulated card');
    for (const name of ['vendor-id', 'device-id', 'subsystem-vendor-id', 'subsystem-id']) {
      const file = sim.root.path(join(node, name));
      const cell = readFileSync(file);
      writeFileSync(file, Buffer.concat([cell, Buffer.from([0, 0, 0, 7])])); // two cells
    }
    const [reread] = run.services.discoverCards();
    const ids = sim.state().adapter;
    expect(reread?.node.vendorId).toEqual({ ok: true, value: ids.vendorId });
    expect(reread?.node.deviceId).toEqual({ ok: true, value: ids.deviceId });
    expect(reread?.node.subsystemVendorId).toEqual({ ok: true, value: ids.subsystemVendorId });
    expect(reread?.node.subsystemId).toEqual({ ok: true, value: ids.subsystemId });
    expect(await runHeadlessFlash(run.controller, { imagePath: run.imagePath, yes: true })).toBe(0);
    const programmed = readFileSync(join(run.dir, 'simulator', 'flash.bin'));
    expect(programmed.subarray(0, 128).equals(kernelHeader(ids, 100_000))).toBe(true);
  });
});

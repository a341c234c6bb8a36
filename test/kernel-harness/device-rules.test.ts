/**
 * flash.c's device rules, through the program's IoctlCardDevice: device_open's semaphore,
 * ioctl_transfer_image's struct checks and handle_image's entry limit; each also run through
 * the simulator's driver, which must answer the same.
 */
import { afterEach, describe, expect, it, beforeAll } from 'vitest';
import {
  CXL_AI_MAX_CHUNK_SIZE,
  CXL_AI_MAX_HEADER_CHUNK_SIZE,
  CXL_AI_NEED_HEADER,
} from '../../src/ioctl/abi.js';
import type {
  AdapterImageFields,
  CardDevice,
  TransferOutcome,
} from '../../src/ioctl/card-device.js';
import { EINVAL, EPERM } from '../../src/ioctl/errno.js';
import { kmsg, startSimulation, testImage, type SimHandle } from '../helpers/sim.js';
import { harnessLibrary, skipReason, prepareHarness, PREPARE_TIMEOUT_MS } from './kernel-engine.js';
import { KernelHarness } from './kernel-harness.js';

const skip = skipReason();
beforeAll(prepareHarness, PREPARE_TIMEOUT_MS);
const image = testImage(3 * 1024 * 1024);
const first: AdapterImageFields = {
  flags: CXL_AI_NEED_HEADER,
  data: image.padded,
  lenData: CXL_AI_MAX_HEADER_CHUNK_SIZE,
  lenImage: image.size,
};
const second: AdapterImageFields = {
  flags: 0n,
  data: image.padded.subarray(CXL_AI_MAX_HEADER_CHUNK_SIZE),
  lenData: CXL_AI_MAX_CHUNK_SIZE,
  lenImage: image.size,
};

let h: SimHandle | null = null;
let kernel: KernelHarness | null = null;
afterEach(async () => {
  kernel?.detach();
  kernel = null;
  await h?.cleanup();
  h = null;
});

async function device(which: 'kernel' | 'simulator'): Promise<CardDevice> {
  h = await startSimulation();
  if (which === 'simulator') return h.sim.openCardDevice('/dev/cxl/card0');
  kernel = KernelHarness.attach(harnessLibrary(65536), h.sim);
  return kernel.openCardDevice();
}

const resets = (): number => (kernel ? kernel.of('facility-reset').length : Number.NaN); // the simulator has no such count

describe.skipIf(skip !== null).each(['kernel', 'simulator'] as const)(
  'flash.c rules (%s)',
  (which) => {
    it('ioctl_transfer_image: a reserved word or an unknown flag is EINVAL before any hcall, with no reset', async () => {
      const d = await device(which);
      expect(await d.open()).toEqual({ ok: true });
      const invalid: TransferOutcome = { kind: 'error', errno: EINVAL, returned: -1 };
      expect(await d.download(first)).toEqual({ kind: 'continue' });
      expect(await d.download({ ...second, reserved: [0n, 0n, 1n, 0n] })).toEqual(invalid);
      expect(await d.download({ ...second, flags: 0x2n })).toEqual(invalid);
      if (which === 'kernel') expect(resets()).toBe(0);
      // the hypervisor still takes the next chunk with the token it handed out
      expect(await d.download(second)).toEqual({ kind: 'continue' });
      await d.close();
      expect(h && kmsg(h.sim)).toEqual([]);
    });

    it('handle_image: more than 256 S/G entries (a header call of 1,048,449 bytes) is EINVAL, and transfer_image resets', async () => {
      const d = await device(which);
      expect(await d.open()).toEqual({ ok: true });
      expect(await d.download({ ...first, lenData: CXL_AI_MAX_HEADER_CHUNK_SIZE + 1 })).toEqual({
        kind: 'error',
        errno: EINVAL,
        returned: -1,
      });
      if (which === 'kernel') expect(resets()).toBe(1);
      await d.close();
      expect(h && kmsg(h.sim)).toEqual([]);
    });
  },
);

describe.skipIf(skip !== null)('device_open (kernel)', () => {
  it('a second open sleeps in down_interruptible while the first holds the device; a signal makes it EPERM', async () => {
    const a = await device('kernel');
    const k = kernel;
    if (!k) throw new Error('no harness');
    expect(await a.open()).toEqual({ ok: true });
    const b = k.openCardDevice();
    const pending = b.open();
    const deadline = Date.now() + 5000;
    while (k.waiters === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(k.waiters).toBe(1);
    expect(k.interruptWaiters()).toBe(1);
    expect(await pending).toEqual({ ok: false, errno: EPERM, operation: 'open' });
    await a.close();
    // after the close the device is free again
    const c = k.openCardDevice();
    expect(await c.open()).toEqual({ ok: true });
    await c.close();
  });
});

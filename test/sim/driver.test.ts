/** flash.c rules of the simulated card device (docs/kernel-contract.md §1, §3, §4.2-§4.4). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readCards } from '../../src/hardware/cards.js';
import {
  CXL_AI_MAX_CHUNK_SIZE,
  CXL_AI_MAX_HEADER_CHUNK_SIZE,
  CXL_AI_NEED_HEADER,
} from '../../src/ioctl/abi.js';
import type { CardDevice } from '../../src/ioctl/card-device.js';
import { EINVAL } from '../../src/ioctl/errno.js';
import { kernelHeader } from '../../src/sim/driver.js';
import { factoryModel } from '../../src/sim/model.js';
import { present } from '../helpers/present.js';
import {
  flash,
  kinds,
  kmsg,
  MiB,
  runPass,
  startSimulation,
  testImage,
  type SimHandle,
} from '../helpers/sim.js';

const image = testImage(3 * MiB + 1000);
const INVALID = { kind: 'error', errno: EINVAL, returned: -1 };

describe('the simulated card device: struct and chunk rules', () => {
  let h: SimHandle;
  let device: CardDevice;
  beforeEach(async () => {
    h = await startSimulation();
    device = h.sim.openCardDevice('/dev/cxl/card0');
    expect(await device.open()).toEqual({ ok: true });
  });
  afterEach(() => h.cleanup());

  const first = {
    flags: CXL_AI_NEED_HEADER,
    data: image.padded,
    lenData: CXL_AI_MAX_HEADER_CHUNK_SIZE,
    lenImage: image.size,
  };
  const second = {
    flags: 0n,
    data: image.padded.subarray(CXL_AI_MAX_HEADER_CHUNK_SIZE),
    lenData: CXL_AI_MAX_CHUNK_SIZE,
    lenImage: image.size,
  };

  it('answers EINVAL without a reset to non-zero reserved words and unknown flags (§1)', async () => {
    expect(await device.download(first)).toEqual({ kind: 'continue' });
    expect(await device.download({ ...second, reserved: [0n, 0n, 1n, 0n] })).toEqual(INVALID);
    expect(await device.download({ ...second, flags: 0x2n })).toEqual(INVALID);
    // no reset: the hypervisor still takes the next chunk with the token it handed out
    expect(await device.download(second)).toEqual({ kind: 'continue' });
    expect(kmsg(h.sim)).toEqual([]);
  });

  it('answers EINVAL with a reset to more than 256 S/G entries; the stale token then fails (§1, §4.4)', async () => {
    expect(await device.download(first)).toEqual({ kind: 'continue' });
    expect(await device.download({ ...second, lenData: CXL_AI_MAX_CHUNK_SIZE + 1 })).toEqual(
      INVALID,
    );
    expect(h.sim.state().lastEvent).toMatch(/adapter reset/);
    // the driver kept its token (not cleared on error); the reset hypervisor no longer knows it
    expect(await device.download(second)).toEqual(INVALID);
    expect(kmsg(h.sim)).toEqual([
      expect.stringMatching(
        /^cxl_h_download_facility\(0x0000000030000001, DOWNLOAD\(0x3c1e0000, 0x100\), 0x0\): -4$/,
      ),
    ]);
  });

  it('counts the header in the entries: 1,048,449 bytes with NEED_HEADER is 257 entries', async () => {
    expect(await device.download({ ...first, lenData: CXL_AI_MAX_HEADER_CHUNK_SIZE + 1 })).toEqual(
      INVALID,
    );
    await device.close();
    await device.open();
    expect(await device.download(first)).toEqual({ kind: 'continue' }); // 1,048,448: 256 entries
  });

  it('answers without a turn of the event loop, as a synchronous call in the device thread: a callback queued before a call has not run when it returns', async () => {
    const instant = await startSimulation(['speed@1000000000']); // no timer inside the hcall
    try {
      const zero = instant.sim.openCardDevice('/dev/cxl/card0');
      await zero.open();
      let ran = false;
      setImmediate(() => (ran = true));
      await runPass(zero, 'download', image, { until: 1 });
      expect(ran).toBe(false);
      await zero.close();
    } finally {
      await instant.cleanup();
    }
  });

  it('returns 1 until the last byte, then 0, for both passes (§4.3)', async () => {
    const { download, validate } = await flash(device, image);
    expect(kinds(download)).toEqual(['continue', 'continue', 'continue', 'done']);
    expect(kinds(validate)).toEqual(['continue', 'continue', 'continue', 'done']);
  });

  it('reports done early when len_image is smaller than what is sent, and asks for more after the last byte when larger (§4.8)', async () => {
    expect(kinds(await runPass(device, 'download', image, { lenImage: 2 * MiB }))).toEqual([
      'continue',
      'continue',
      'done', // call 3 of 4
    ]);
    await device.close();
    await device.open();
    expect(kinds(await runPass(device, 'download', image, { lenImage: image.size + 1 }))).toEqual([
      'continue',
      'continue',
      'continue',
      'continue',
    ]);
  });

  it('erases on the first download call, programs header and image, and validation compares from byte 0 (§3, §4.2)', async () => {
    expect(h.sim.state().image).toMatchObject({ state: 'valid', origin: 'factory' });
    await runPass(device, 'download', image, { until: 1 });
    expect(h.sim.state().image.state).toBe('partial');
    expect(readFileSync(join(h.dir, 'flash.bin')).length).toBe(CXL_AI_MAX_CHUNK_SIZE);
    await device.close();
    await device.open();
    expect(kinds(await runPass(device, 'download', image))).toEqual([
      'continue',
      'continue',
      'continue',
      'done',
    ]);
    expect(h.sim.state().image.state).toBe('downloaded');
    const stored = readFileSync(join(h.dir, 'flash.bin'));
    expect(stored.subarray(0, 128).equals(kernelHeader(factoryModel().adapter, image.size))).toBe(
      true,
    );
    expect(stored.subarray(128).equals(image.padded.subarray(0, image.size))).toBe(true);
    const other = testImage(image.size, 11);
    expect(kinds(await runPass(device, 'validate', other))).toEqual([`error:${EINVAL}`]);
    expect(kmsg(h.sim).at(-1)).toMatch(/VALIDATE\(0x3c1e0000, 0x100\), 0x0\): -70$/);
  });

  it('continues the old sequence when a pass restarts mid-way: the header lands in the image (§4.4, §4.8)', async () => {
    expect(kinds(await runPass(device, 'download', image, { until: 2 }))).toEqual([
      'continue',
      'continue',
    ]);
    // NEED_HEADER again does not reset the driver's token: the hypervisor takes it as more data
    expect(kinds(await runPass(device, 'download', image))).toEqual(['continue', 'done']); // early 0
    // the first 2 MiB match; the third call meets the stray header
    expect(kinds(await runPass(device, 'validate', image))).toEqual([
      'continue',
      'continue',
      `error:${EINVAL}`,
    ]);
    expect(kmsg(h.sim).at(-1)).toMatch(/VALIDATE\(.*\): -70$/);
  });

  it('takes a short data view as copy_from_user failing: DOWNLOAD returns 0 with no hcall (§4.3 bug)', async () => {
    expect(await device.download(first)).toEqual({ kind: 'continue' });
    const short = {
      ...second,
      data: image.padded.subarray(CXL_AI_MAX_HEADER_CHUNK_SIZE, CXL_AI_MAX_HEADER_CHUNK_SIZE + 10),
    };
    expect(await device.download(short)).toEqual({ kind: 'done' });
    expect(h.sim.state().image.state).toBe('partial'); // nothing reached the hypervisor
    expect(await device.download(second)).toEqual({ kind: 'continue' }); // token untouched
    expect(kmsg(h.sim)).toEqual([]);
  });

  it('takes the success path on a VALIDATE whose copy faults: AFUs removed, then a re-probe on close (§4.3 bug)', async () => {
    const before = present(readCards(h.sim.root)[0]);
    expect(before.afus.length).toBe(1);
    const short = { ...first, data: image.padded.subarray(0, 100) };
    expect(await device.validate(short)).toEqual({ kind: 'done' });
    expect(present(readCards(h.sim.root)[0]).afus).toEqual([]);
    await device.close();
    const after = present(readCards(h.sim.root)[0]);
    expect(after.sysfsIdentity).not.toBe(before.sysfsIdentity);
    // nothing was validated, so nothing new was activated
    expect(after.attributes.psl_revision).toBe('12');
  });

  it('reads 128 bytes past a small header chunk (§3): a view that stops at len_data faults', async () => {
    const small = testImage(1000);
    expect(kinds(await runPass(device, 'download', small))).toEqual(['done']);
    expect(h.sim.state().image.state).toBe('downloaded');
    await device.close();
    await device.open();
    const exact = {
      flags: CXL_AI_NEED_HEADER,
      data: small.padded.subarray(0, 1000),
      lenData: 1000,
      lenImage: 1000,
    };
    expect(await device.download(exact)).toEqual({ kind: 'done' });
    expect(h.sim.state().image.state).toBe('downloaded'); // no hcall: the flash was not even erased
    expect(readFileSync(join(h.dir, 'flash.bin')).length).toBe(1128);
  });

  it('rejects a first download call without the header as bad data (header version, §3)', async () => {
    const outcome = await device.download({ ...first, flags: 0n, lenData: CXL_AI_MAX_CHUNK_SIZE });
    expect(outcome).toMatchObject({ kind: 'error', errno: EINVAL });
    expect(kmsg(h.sim).at(-1)).toMatch(/DOWNLOAD\(0x3c1e0000, 0x100\), 0x0\): -70$/);
    expect(h.sim.state().image).toMatchObject({ state: 'valid', origin: 'factory' }); // rejected before the erase
  });
});

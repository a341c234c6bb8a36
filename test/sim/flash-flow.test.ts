/** A whole flash on the simulator: reload, reset on close, persistence, the 3-second rule (§4-§6). */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readCards } from '../../src/hardware/cards.js';
import { waitForReload } from '../../src/hardware/reload-watcher.js';
import { EBUSY, EINVAL } from '../../src/ioctl/errno.js';
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

const image = testImage(2 * MiB + 4321);
const LOC = 'U78CB.001.WZS0001-P1-C7';

describe('a successful flash on the simulator', () => {
  let h: SimHandle;
  afterEach(() => h.cleanup());

  it('removes the AFUs in the final validate, then the close re-probes the card with the new PSL revision (§4.6)', async () => {
    h = await startSimulation();
    const before = present(readCards(h.sim.root)[0]);
    expect(before.attributes.psl_revision).toBe('12');
    const device = h.sim.openCardDevice('/dev/cxl/card0');
    await device.open();
    const { download, validate } = await flash(device, image);
    expect([kinds(download).at(-1), kinds(validate).at(-1)]).toEqual(['done', 'done']);
    const afterValidate = present(readCards(h.sim.root)[0]);
    expect(afterValidate.afus).toEqual([]);
    expect(afterValidate.sysfsIdentity).toBe(before.sysfsIdentity); // the card itself is still there
    // the DT was updated inside the validate; sysfs keeps what was read at probe time
    expect(afterValidate.node.pslRevision).toEqual({ ok: true, value: 13 });
    expect(afterValidate.attributes.psl_revision).toBe('12');
    const watching = waitForReload(h.sim.root, {
      locationCode: LOC,
      previous: before,
      deadlineMs: 5000,
      pollMs: 1,
    });
    await device.close();
    const result = await watching;
    expect(result).toMatchObject({ kind: 'returned', renumbered: false });
    expect(
      result.kind === 'returned' && result.changes.map((c) => [c.field, c.before, c.after]),
    ).toEqual([['psl revision', '12', '13']]);
    const after = present(readCards(h.sim.root)[0]);
    expect(after.afus.map((a) => a.name)).toEqual(['afu0.0']);
    expect(h.sim.state()).toMatchObject({
      pslRevision: 13,
      holder: null,
      image: { state: 'valid', origin: 'flashed' },
    });
    expect(kmsg(h.sim)).toEqual([]); // success and continue are pr_devel: nothing in the log
  });

  it('keeps the adapter state for the next run, and a re-flash of the same image keeps its revision', async () => {
    h = await startSimulation();
    const device = h.sim.openCardDevice('/dev/cxl/card0');
    await device.open();
    await flash(device, image);
    await device.close();
    const next = await h.reopen();
    expect(present(readCards(next.root)[0]).attributes.psl_revision).toBe('13');
    const again = next.openCardDevice('/dev/cxl/card0');
    await again.open();
    await flash(again, image);
    await again.close();
    expect(next.state().pslRevision).toBe(13);
    const fresh = await h.reopen(['fresh']);
    expect(fresh.state()).toMatchObject({ pslRevision: 12, image: { origin: 'factory' } });
    expect(present(readCards(fresh.root)[0]).attributes.psl_revision).toBe('12');
  });

  it('records the digest of what it programmed, equal to the flash contents, and writes model.json only on changes', async () => {
    h = await startSimulation();
    const device = h.sim.openCardDevice('/dev/cxl/card0');
    await device.open();
    const model = join(h.dir, 'model.json');
    await runPass(device, 'download', image, { until: 1 });
    const afterFirstCall = statSync(model).ino; // every save is a rename onto a new inode
    await runPass(device, 'download', image, { from: 1, until: 2 });
    expect(statSync(model).ino).toBe(afterFirstCall); // still 'partial': nothing to write
    await runPass(device, 'download', image, { from: 2 });
    const flashed = createHash('sha256')
      .update(readFileSync(join(h.dir, 'flash.bin')))
      .digest('hex');
    expect(h.sim.state().image).toMatchObject({ state: 'downloaded', sha256: flashed });
  });

  it('keeps the gaps it saw between calls, per pass, on its own clock (§6)', async () => {
    let now = 0;
    h = await startSimulation([], { clock: () => now });
    const device = h.sim.openCardDevice('/dev/cxl/card0');
    await device.open();
    await runPass(device, 'download', image, { until: 1 });
    now += 40; // the program took 40 ms to issue call 2
    await runPass(device, 'download', image, { from: 1, until: 2 });
    now += 7;
    await runPass(device, 'download', image, { from: 2 });
    expect(h.sim.state().hypervisorGaps?.download).toEqual({ calls: 3, largestMs: 40, p99Ms: 40 });
    expect(h.sim.state().hypervisorGaps?.validate).toBeUndefined();
  });

  it('resets on a close without a successful validate: the partial download leaves no valid image (§4.5)', async () => {
    h = await startSimulation();
    const device = h.sim.openCardDevice('/dev/cxl/card0');
    await device.open();
    await runPass(device, 'download', image, { until: 2 });
    await device.close();
    expect(h.sim.state()).toMatchObject({
      lastEvent: 'card0 closed: adapter reset',
      image: { state: 'partial' },
    });
    expect(present(readCards(h.sim.root)[0]).afus.length).toBe(1); // a plain reset does not re-probe
    // the reset ended the hypervisor's sequence: a new pass starts cleanly from token 0
    await device.open();
    expect(kinds(await runPass(device, 'download', image))).toEqual([
      'continue',
      'continue',
      'done',
    ]);
  });
});

describe('the 3-second limit between calls, on the real clock (§6)', () => {
  let h: SimHandle;
  let now = 0;
  afterEach(() => h.cleanup());

  it('abandons a download left waiting more than 3 s: H_STATE, EBUSY, reset, no valid image', async () => {
    h = await startSimulation([], { clock: () => now });
    const device = h.sim.openCardDevice('/dev/cxl/card0');
    await device.open();
    expect(kinds(await runPass(device, 'download', image, { until: 1 }))).toEqual(['continue']);
    now += 2999; // within the limit, however fast the simulated adapter runs (speed@1000)
    expect(kinds(await runPass(device, 'download', image, { from: 1, until: 2 }))).toEqual([
      'continue',
    ]);
    now += 3001;
    const late = await runPass(device, 'download', image, { from: 2 });
    expect(late).toEqual([{ kind: 'error', errno: EBUSY, returned: -1 }]);
    expect(kmsg(h.sim)).toEqual([
      expect.stringMatching(
        /^cxl_h_download_facility\(0x0000000030000001, DOWNLOAD\(0x3c1e0000, 0x2\), 0x0\): -75$/,
      ),
    ]);
    expect(h.sim.state()).toMatchObject({
      image: { state: 'partial' },
      lastEvent: expect.stringMatching(/adapter reset/),
    });
  });

  it('counts from when the hypervisor answered, not from when a stopped process picked it up', async () => {
    // This process does not run for 3.2 s while call 1 is in the hypervisor (as under SIGSTOP):
    // the answer left on time (a 4 ms erase at speed@1000), so the next call comes 3.2 s after
    // it and the sequence is abandoned, although no time passed between our return and our call.
    h = await startSimulation();
    const device = h.sim.openCardDevice('/dev/cxl/card0');
    await device.open();
    const first = runPass(device, 'download', image, { until: 1 });
    setImmediate(() => {
      const until = performance.now() + 3200;
      while (performance.now() < until); // the event loop stands still; the hypervisor does not
    });
    expect(kinds(await first)).toEqual(['continue']);
    expect(kinds(await runPass(device, 'download', image, { from: 1 }))).toEqual([
      `error:${EBUSY}`,
    ]);
    expect(kmsg(h.sim).at(-1)).toMatch(/DOWNLOAD\(.*\): -75$/);
  }, 15_000);

  it('uses the real clock by default, unscaled by the speed: 3.1 real seconds abandon the sequence even at speed@1000', async () => {
    h = await startSimulation();
    const device = h.sim.openCardDevice('/dev/cxl/card0');
    await device.open();
    await runPass(device, 'download', image, { until: 1 });
    await new Promise((resolve) => setTimeout(resolve, 3100));
    expect(kinds(await runPass(device, 'download', image, { from: 1 }))).toEqual([
      `error:${EBUSY}`,
    ]);
  }, 10_000);

  it('measures from the return of the last call, not its start: long-busy inside a call does not count', async () => {
    // the clock runs 100x faster than real time, like the timers at speed@100
    h = await startSimulation(['speed@100', 'long-busy@2:4'], {
      clock: () => performance.now() * 100,
    });
    const device = h.sim.openCardDevice('/dev/cxl/card0');
    await device.open();
    const started = performance.now();
    expect(kinds(await runPass(device, 'download', image))).toEqual([
      'continue',
      'continue',
      'done',
    ]);
    // call 2 slept 4 x 1 s of long-busy (40 ms real at speed 100) and nothing was logged
    expect(performance.now() - started).toBeGreaterThanOrEqual(36);
    expect(kmsg(h.sim)).toEqual([]);
  });

  it('answers what abandon-rc@CODE says instead [UNCONFIRMED alternative]', async () => {
    h = await startSimulation(['abandon-rc@H_PARAMETER'], { clock: () => now });
    const device = h.sim.openCardDevice('/dev/cxl/card0');
    await device.open();
    await runPass(device, 'download', image, { until: 1 });
    now += 5000;
    const outcomes = await runPass(device, 'download', image, { from: 1 });
    expect(outcomes.at(-1)).toEqual({ kind: 'error', errno: EINVAL, returned: -1 });
    expect(kmsg(h.sim).at(-1)).toMatch(/DOWNLOAD\(.*\): -4$/);
  });

  it('abandons a validate pass too; the downloaded image stays unvalidated', async () => {
    h = await startSimulation([], { clock: () => now });
    const device = h.sim.openCardDevice('/dev/cxl/card0');
    await device.open();
    await runPass(device, 'download', image);
    now += 60_000; // no limit is documented between the passes [UNCONFIRMED]; none is modelled
    expect(kinds(await runPass(device, 'validate', image, { until: 1 }))).toEqual(['continue']);
    now += 3500;
    expect(kinds(await runPass(device, 'validate', image, { from: 1 }))).toEqual([
      `error:${EBUSY}`,
    ]);
    expect(kmsg(h.sim).at(-1)).toMatch(/VALIDATE\(.*\): -75$/);
    expect(h.sim.state().image.state).toBe('downloaded');
  });
});

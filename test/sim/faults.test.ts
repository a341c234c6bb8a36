/**
 * Hypervisor fault scenarios: the errno the driver returns (§4.3), the kernel-log line it prints,
 * and what the adapter holds afterwards (§4.4).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readCards } from '../../src/hardware/cards.js';
import { parseDownloadFacilityLine, parseKmsgText } from '../../src/hardware/kernel-log.js';
import { waitForReload } from '../../src/hardware/reload-watcher.js';
import { EBUSY, EINVAL } from '../../src/ioctl/errno.js';
import { readFileSync } from 'node:fs';
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
import type { Simulation } from '../../src/sim/simulation.js';

const image = testImage(3 * MiB + 77);
const LOC = 'U78CB.001.WZS0001-P1-C7';

function lastHcallLine(sim: Simulation) {
  const records = parseKmsgText(readFileSync(sim.root.path('/dev/kmsg'), 'utf8'));
  return records
    .map(parseDownloadFacilityLine)
    .filter((l) => l !== null)
    .at(-1);
}

async function openedDevice(scenarios: string[]) {
  const h = await startSimulation(scenarios);
  const device = h.sim.openCardDevice('/dev/cxl/card0');
  expect(await device.open()).toEqual({ ok: true });
  return { h, device };
}

describe('download-fail@K:CODE and validate-fail@K:CODE, one per return-code class', () => {
  let h: SimHandle | undefined;
  afterEach(async () => h?.cleanup());

  it.each([
    ['H_PARAMETER', -4, EINVAL],
    ['H_FUNCTION', -2, EINVAL],
    ['H_SG_LIST', -72, EINVAL],
    ['H_BAD_DATA', -70, EINVAL],
    ['H_AUTHORITY', -10, EBUSY],
    ['H_RESOURCE', -16, EBUSY],
    ['H_HARDWARE', -1, EBUSY],
    ['H_STATE', -75, EBUSY],
  ])(
    'download call 2 answered %s (%i) fails with errno %i, logs it, and leaves no valid image',
    async (name, rc, errno) => {
      const opened = await openedDevice([`download-fail@2:${name}`]);
      h = opened.h;
      const outcomes = await runPass(opened.device, 'download', image);
      expect(outcomes).toEqual([{ kind: 'continue' }, { kind: 'error', errno, returned: -1 }]);
      expect(lastHcallLine(h.sim)).toMatchObject({
        operation: 'DOWNLOAD',
        entries: 256,
        token: '0x0',
        rc,
        rcName: name,
        errno,
      });
      expect(h.sim.state()).toMatchObject({
        image: { state: 'partial' },
        lastEvent: expect.stringMatching(/adapter reset/),
      });
    },
  );

  it.each([
    ['H_NOT_FOUND', -7],
    ['-67', -67],
  ])('an rc the driver does not know (%s) gets a WARN splat and EINVAL', async (code, rc) => {
    const opened = await openedDevice([`download-fail@1:${code}`]);
    h = opened.h;
    expect(await runPass(opened.device, 'download', image)).toEqual([
      { kind: 'error', errno: EINVAL, returned: -1 },
    ]);
    const lines = kmsg(h.sim);
    expect(lines[0]).toMatch(
      new RegExp(
        `^cxl_h_download_facility\\(0x0000000030000001, DOWNLOAD\\(0x3c1e0000, 0x100\\), 0x0\\): ${rc}$`,
      ),
    );
    expect(lines).toContain(
      `Unexpected return code: ${BigInt.asUintN(64, BigInt(rc)).toString(16)}`,
    );
    expect(h.sim.state().image.state).toBe('partial'); // these come after the flash was touched
  });

  it('a rejection on the first call comes before the erase: the old image survives', async () => {
    const opened = await openedDevice(['download-fail@1:H_AUTHORITY']);
    h = opened.h;
    expect(kinds(await runPass(opened.device, 'download', image))).toEqual([`error:${EBUSY}`]);
    expect(h.sim.state().image).toMatchObject({ state: 'valid', origin: 'factory' });
    // each fault fires once per run: the retry goes through
    await opened.device.close();
    await opened.device.open();
    expect(kinds(await runPass(opened.device, 'download', image)).at(-1)).toBe('done');
  });

  it.each([
    ['H_HARDWARE', -1, EBUSY],
    ['H_PARAMETER', -4, EINVAL],
  ])(
    'validate call 2 answered %s fails with errno %i; the download stays unvalidated',
    async (name, rc, errno) => {
      const opened = await openedDevice([`validate-fail@2:${name}`]);
      h = opened.h;
      const { download, validate } = await flash(opened.device, image);
      expect(kinds(download).at(-1)).toBe('done');
      expect(validate).toEqual([{ kind: 'continue' }, { kind: 'error', errno, returned: -1 }]);
      expect(lastHcallLine(h.sim)).toMatchObject({ operation: 'VALIDATE', rc, rcName: name });
      expect(h.sim.state().image.state).toBe('downloaded');
      expect(present(readCards(h.sim.root)[0]).afus.length).toBe(1); // no success path
    },
  );
});

describe('validation mismatch and long-busy', () => {
  let h: SimHandle | undefined;
  afterEach(async () => h?.cleanup());

  it('validate-mismatch: H_BAD_DATA at the last validate call (§4.2)', async () => {
    const opened = await openedDevice(['validate-mismatch']);
    h = opened.h;
    const { validate } = await flash(opened.device, image);
    expect(kinds(validate)).toEqual(['continue', 'continue', 'continue', `error:${EINVAL}`]);
    expect(lastHcallLine(h.sim)).toMatchObject({
      operation: 'VALIDATE',
      rcName: 'H_BAD_DATA',
      entries: 1,
    });
    expect(h.sim.state().image.state).toBe('downloaded');
  });

  it('validate-mismatch@2: H_BAD_DATA at validate call 2', async () => {
    const opened = await openedDevice(['validate-mismatch@2']);
    h = opened.h;
    expect(kinds((await flash(opened.device, image)).validate)).toEqual([
      'continue',
      `error:${EINVAL}`,
    ]);
  });

  it('long-busy-timeout@1: the driver gives up after 120 s of hints with a WARN and EBUSY (§4.7)', async () => {
    const opened = await openedDevice(['long-busy-timeout@1']);
    h = opened.h;
    expect(await runPass(opened.device, 'download', image)).toEqual([
      { kind: 'error', errno: EBUSY, returned: -1 },
    ]);
    const lines = kmsg(h.sim);
    expect(lines).toContain('Warning: Giving up waiting for CXL hcall 0x364 after 200000 msec');
    expect(lines.at(-1)).toMatch(/DOWNLOAD\(0x3c1e0000, 0x100\), 0x0\): 1$/);
    expect(lastHcallLine(h.sim)).toMatchObject({ rcName: 'H_BUSY', errno: EBUSY });
    expect(h.sim.state().image).toMatchObject({ state: 'valid', origin: 'factory' }); // never got to erase
  });

  it('validate-long-busy@2:2: a validate call that takes two 1-second hints still succeeds, silently', async () => {
    const opened = await openedDevice(['validate-long-busy@2:2']);
    h = opened.h;
    expect(kinds((await flash(opened.device, image)).validate).at(-1)).toBe('done');
    expect(kmsg(h.sim)).toEqual([]);
  });
});

describe('the reload after a successful flash (§4.6)', () => {
  let h: SimHandle | undefined;
  afterEach(async () => h?.cleanup());

  async function flashAndWatch(scenarios: string[], deadlineMs: number) {
    const opened = await openedDevice(scenarios);
    h = opened.h;
    const previous = present(readCards(h.sim.root)[0]);
    await flash(opened.device, image);
    const watching = waitForReload(h.sim.root, {
      locationCode: LOC,
      previous,
      deadlineMs,
      pollMs: 1,
    });
    await opened.device.close();
    return { result: await watching, sim: h.sim };
  }

  it('renumber: the card comes back as card1', async () => {
    const { result, sim } = await flashAndWatch(['renumber'], 5000);
    expect(result).toMatchObject({ kind: 'returned', renumbered: true, disappeared: true });
    expect(
      readCards(sim.root).map((c) => [c.name, c.devicePath, c.afus.map((a) => a.name)]),
    ).toEqual([['card1', '/dev/cxl/card1', ['afu1.0']]]);
    expect(sim.state().card).toEqual({ number: 1, present: true });
  });

  it('no-reload: the card never comes back, and stays gone in the next run', async () => {
    const { result, sim } = await flashAndWatch(['no-reload'], 50);
    expect(result).toMatchObject({ kind: 'timeout', disappeared: true, lastSeen: null });
    expect(sim.state().card.present).toBe(false);
    expect(readCards(present(h).sim.root)).toEqual([]);
    expect(readCards((await present(h).reopen()).root)).toEqual([]);
  });

  it('factory-fallback: an aborted download boots the factory image [UNCONFIRMED alternative]', async () => {
    const opened = await openedDevice(['factory-fallback', 'download-fail@2']);
    h = opened.h;
    await runPass(opened.device, 'download', image);
    expect(h.sim.state()).toMatchObject({
      image: { state: 'valid', origin: 'factory' },
      pslRevision: 12,
    });
  });
});

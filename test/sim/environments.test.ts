/**
 * Scenarios that shape the simulated machine, seen through discovery and preflight, and the
 * errno open() gives on them; plus the scenario syntax.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readCards } from '../../src/hardware/cards.js';
import { readEnvironment } from '../../src/hardware/environment.js';
import { runPreflight } from '../../src/hardware/preflight.js';
import type { PreflightCheck } from '../../src/hardware/types.js';
import { readDeviceUsers } from '../../src/hardware/users.js';
import { EACCES, ENOENT, EPERM } from '../../src/ioctl/errno.js';
import { UserFacingError } from '../../src/exit-codes.js';
import { parseScenarios, SCENARIO_CATALOGUE } from '../../src/sim/scenarios.js';
import { kmsg, startSimulation, type SimHandle } from '../helpers/sim.js';

const status = (checks: PreflightCheck[], id: string) => checks.find((c) => c.id === id);

describe('machine-shaping scenarios', () => {
  let h: SimHandle | undefined;
  afterEach(async () => h?.cleanup());

  const preflight = (s: SimHandle) =>
    runPreflight(s.sim.root, {
      card: readCards(s.sim.root)[0] ?? null,
      imageSize: 64 << 20,
      ownPid: process.pid,
    });
  const openErrno = async (s: SimHandle, path = '/dev/cxl/card0') => {
    const result = await s.sim.openCardDevice(path).open();
    return result.ok ? 0 : result.errno;
  };

  it('the default machine is a PowerVM guest on Linux 6.1 with one guest card and every check passing', async () => {
    h = await startSimulation();
    const env = readEnvironment(h.sim.root);
    expect(env).toMatchObject({
      cxlModuleLoaded: true,
      powervmGuest: true,
      driver: { status: 'supported' },
    });
    expect(env.cardNodes.map((n) => [n.name, n.kind, n.mode])).toEqual([['card0', 'file', '0600']]);
    const [card] = readCards(h.sim.root);
    expect(card).toMatchObject({
      name: 'card0',
      mode: 'guest',
      devNumber: { major: 238, minor: 0 },
      unreadableAttributes: ['reset'],
    });
    expect(card?.node.path).toBe(
      '/sys/firmware/devicetree/base/ibm,coherent-platform-facility@30000001',
    );
    expect(card?.afus[0]?.deviceNodes.map((n) => n.devicePath)).toEqual([
      '/dev/cxl/afu0.0m',
      '/dev/cxl/afu0.0s',
    ]);
    expect(preflight(h).every((c) => c.status === 'pass')).toBe(true);
  });

  it('afu-in-use: PID 4242 (capiuser) holds afu0.0m; preflight fails', async () => {
    h = await startSimulation(['afu-in-use']);
    expect(readDeviceUsers(h.sim.root).users).toEqual([
      {
        pid: 4242,
        command: '/opt/capi/bin/capi-app --device /dev/cxl/afu0.0m',
        uid: 1001,
        user: 'capiuser',
        devicePath: '/dev/cxl/afu0.0m',
      },
    ]);
    expect(status(preflight(h), 'afu-users')).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/PID 4242 \(capiuser/),
    });
  });

  it('card-held: PID 4243 holds card0; preflight fails and open() blocks until interrupted (EPERM)', async () => {
    h = await startSimulation(['card-held']);
    expect(status(preflight(h), 'card-holders')).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/PID 4243 \(root: \/usr\/local\/bin\/vendor-flash/),
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 80);
    expect(
      await h.sim.openCardDevice('/dev/cxl/card0').open({ signal: controller.signal }),
    ).toEqual({ ok: false, errno: EPERM, operation: 'open' });
    expect(h.sim.state().image.state).toBe('valid');
  });

  it('driver-absent: no module, no cards, no /dev/cxl; open() gives ENOENT', async () => {
    h = await startSimulation(['driver-absent']);
    expect(readEnvironment(h.sim.root)).toMatchObject({ cxlModuleLoaded: false, cardNodes: [] });
    expect(readCards(h.sim.root)).toEqual([]);
    expect(status(preflight(h), 'driver-loaded')?.status).toBe('fail');
    expect(await openErrno(h)).toBe(ENOENT);
  });

  it('not-guest: no hcall-ca, a bare-metal card without a card node; open() gives ENOENT', async () => {
    h = await startSimulation(['not-guest']);
    expect(readEnvironment(h.sim.root).powervmGuest).toBeNull();
    const [card] = readCards(h.sim.root);
    expect(card).toMatchObject({ mode: 'bare-metal', deviceNodePresent: false, devNumber: null });
    expect(card?.attributes).toMatchObject({ image_loaded: 'user', base_image: '1' });
    expect(card?.afus[0]?.modesSupported).toEqual(['dedicated_process', 'afu_directed']);
    const checks = preflight(h);
    expect(status(checks, 'guest-mode')?.status).toBe('fail');
    expect(status(checks, 'card-node')?.status).toBe('fail');
    expect(await openErrno(h)).toBe(ENOENT);
  });

  it('card-node-denied: the node is not openable by the simulated caller; preflight shows its mode, open() gives EACCES', async () => {
    h = await startSimulation(['card-node-denied']);
    expect(readEnvironment(h.sim.root).cardNodes[0]).toMatchObject({
      name: 'card0',
      accessible: false,
      mode: '0600',
    });
    expect(status(preflight(h), 'card-node')).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/not openable by this user \(mode 0600, owner uid \d+\)/),
    });
    expect(await openErrno(h)).toBe(EACCES);
    expect(kmsg(h.sim)).toEqual([]);
  });

  it('no-cards: a guest with the driver but no card; open() gives ENOENT', async () => {
    h = await startSimulation(['no-cards']);
    expect(readEnvironment(h.sim.root)).toMatchObject({
      cxlModuleLoaded: true,
      powervmGuest: true,
      cardNodes: [],
    });
    expect(readCards(h.sim.root)).toEqual([]);
    expect(await openErrno(h)).toBe(ENOENT);
    // the adapter still exists in the model: the next plain run shows it again
    expect(readCards((await h.reopen()).root).map((c) => c.name)).toEqual(['card0']);
  });
});

describe('scenario syntax', () => {
  const error = (specs: string[]): UserFacingError => {
    try {
      parseScenarios(specs);
    } catch (e) {
      if (e instanceof UserFacingError) return e;
      throw e;
    }
    throw new Error('no error');
  };

  it('parses names with parameters', () => {
    const set = parseScenarios([
      'download-fail@3:H_AUTHORITY',
      'validate-fail@2',
      'speed@50',
      'long-busy@4',
      'renumber',
    ]);
    expect(set.faults).toEqual([
      { pass: 'download', call: 3, rc: -10 },
      { pass: 'validate', call: 2, rc: -1 },
    ]);
    expect(set).toMatchObject({
      speed: 50,
      reload: 'renumber',
      longBusy: [{ pass: 'download', call: 4, seconds: 3 }],
    });
  });

  it('refuses an unknown name with exit 2, listing every valid one', () => {
    const e = error(['afu-busy']);
    expect(e.exitCode).toBe(2);
    expect(e.message).toBe('Unknown simulator scenario "afu-busy".');
    for (const { syntax } of SCENARIO_CATALOGUE) expect(e.fix).toContain(syntax);
  });

  it.each([
    [['download-fail@0'], /K must be a whole number from 1, got "0"/],
    [['download-fail'], /K must be a whole number from 1, got nothing/],
    [['download-fail@2:H_BOGUS'], /unknown return code "H_BOGUS"/],
    [['validate-fail@2:H_CONTINUE'], /H_CONTINUE is not a failure/],
    [['speed@0'], /positive number/],
    [['renumber@2'], /renumber takes no parameters/],
    [['no-reload', 'renumber'], /cannot come back renumbered/],
  ])('refuses %j with a message naming the problem', (specs, pattern) => {
    const e = error(specs);
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(pattern);
  });
});

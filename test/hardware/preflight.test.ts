import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readCards } from '../../src/hardware/cards.js';
import { runPreflight } from '../../src/hardware/preflight.js';
import { SystemRoot } from '../../src/hardware/system-root.js';
import type { PreflightCheck } from '../../src/hardware/types.js';
import { present } from '../helpers/present.js';
import {
  addGuestCard,
  addGuestSystem,
  addProcess,
  DT_NODE,
  FixtureTree,
} from '../helpers/fixture-tree.js';

const byId = (checks: PreflightCheck[]): Record<string, PreflightCheck> =>
  Object.fromEntries(checks.map((c) => [c.id, c]));
const MiB = 1024 * 1024;

describe('preflight on fixture trees', () => {
  let tree: FixtureTree;
  beforeEach(() => {
    tree = new FixtureTree();
  });
  afterEach(() => tree.cleanup());

  const run = (imageSize?: number, root: SystemRoot = tree.root) =>
    byId(runPreflight(root, { card: readCards(root)[0] ?? null, imageSize, ownPid: 1 }));

  it('passes every check on a healthy guest', () => {
    addGuestSystem(tree);
    addGuestCard(tree);
    const checks = runPreflight(tree.root, {
      card: present(readCards(tree.root)[0], 'card'),
      imageSize: 64 * MiB,
    });
    expect(checks.map((c) => [c.id, c.status])).toEqual([
      ['driver-loaded', 'pass'],
      ['guest-mode', 'pass'],
      ['card-node', 'pass'],
      ['privileged-facility', 'pass'],
      ['afu-users', 'pass'],
      ['card-holders', 'pass'],
      ['memory', 'pass'],
    ]);
    expect(checks.every((c) => c.fix === undefined)).toBe(true);
    expect(byId(checks)['card-node']?.message).toMatch(/mode 0600, owner uid \d+/);
  });

  it('fails without the driver, outside a guest, and without a card', () => {
    tree.file('/proc/sys/kernel/osrelease', '6.15.0\n');
    const c = run();
    expect(c['driver-loaded']).toMatchObject({
      status: 'fail',
      fix: expect.stringMatching(/modprobe cxl/),
    });
    expect(c['driver-loaded']?.message).toMatch(/removed in Linux 6.15/);
    expect(c['guest-mode']).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/not a PowerVM guest/),
    });
    expect(c['card-node']).toMatchObject({ status: 'fail', message: 'No card to flash.' });
    expect(c.memory).toBeUndefined();
  });

  it('fails a partition whose hypertas list lacks hcall-ca', () => {
    addGuestSystem(tree);
    tree.file('/proc/device-tree/rtas/ibm,hypertas-functions', 'hcall-pft\0hcall-cab\0');
    expect(run()['guest-mode']).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/does not list hcall-ca/),
    });
  });

  it('reports an unreadable hypertas property as such (a warning, not a crash)', () => {
    addGuestSystem(tree);
    tree
      .remove('/proc/device-tree/rtas/ibm,hypertas-functions')
      .mkdir('/proc/device-tree/rtas/ibm,hypertas-functions');
    expect(run()['guest-mode']).toMatchObject({
      status: 'warn',
      message: expect.stringMatching(/unreadable/),
    });
  });

  it('fails when the card node is missing, and when this user may not open it', () => {
    addGuestSystem(tree);
    addGuestCard(tree);
    class DeniedRoot extends SystemRoot {
      override canOpenReadWrite(): boolean {
        return false;
      }
    }
    const denied = run(undefined, new DeniedRoot(tree.dir))['card-node'];
    expect(denied).toMatchObject({ status: 'fail', fix: expect.stringMatching(/root/) });
    expect(denied?.message).toMatch(/not openable by this user \(mode 0600, owner uid \d+\)/);
    tree.remove('/dev/cxl/card0');
    expect(run()['card-node']).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/does not exist/),
    });
  });

  it('fails without the privileged facility and warns when the property is absent', () => {
    addGuestSystem(tree);
    addGuestCard(tree);
    tree.cell(`${DT_NODE}/ibm,privileged-facility`, 0);
    expect(run()['privileged-facility']).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/H_AUTHORITY/),
    });
    tree.remove(`${DT_NODE}/ibm,privileged-facility`);
    expect(run()['privileged-facility']).toMatchObject({
      status: 'warn',
      message: expect.stringMatching(/missing/),
    });
  });

  it('fails when an AFU is in use or another process holds a card device, naming them', () => {
    addGuestSystem(tree);
    addGuestCard(tree);
    addProcess(tree, 4242, '/dev/cxl/afu0.0m', { cmdline: 'capi-app', uid: 0 });
    addProcess(tree, 4300, '/dev/cxl/card0', { cmdline: 'other-flasher', uid: 0 });
    const c = run();
    expect(c['afu-users']?.status).toBe('fail');
    expect(c['afu-users']?.message).toMatch(/PID 4242 \(root: capi-app\) on \/dev\/cxl\/afu0.0m/);
    expect(c['card-holders']?.status).toBe('fail');
    expect(c['card-holders']?.message).toMatch(/PID 4300 \(root: other-flasher\)/);
    // this process holding the card is not "another process"
    const own = byId(
      runPreflight(tree.root, { card: present(readCards(tree.root)[0], 'card'), ownPid: 4300 }),
    );
    expect(own['card-holders']?.status).toBe('pass');
  });

  it('compares MemAvailable with the image size plus a margin, and reports a missing meminfo', () => {
    addGuestSystem(tree, (100 * MiB) / 1024);
    addGuestCard(tree);
    expect(run(16 * MiB).memory?.status).toBe('pass');
    expect(run(60 * MiB).memory?.status).toBe('warn');
    expect(run(90 * MiB).memory).toMatchObject({
      status: 'fail',
      fix: expect.stringMatching(/Free memory/),
    });
    tree.remove('/proc/meminfo');
    expect(run(1).memory).toMatchObject({
      status: 'warn',
      message: expect.stringMatching(/missing/),
    });
  });
});

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CardReport } from '../../src/commands/card-report.js';
import { openSimulation } from '../../src/sim/simulation.js';
import { runCli } from '../helpers/cli.js';
import { MiB, runPass, testImage } from '../helpers/sim.js';

describe('list and doctor on the simulated adapter (built CLI)', () => {
  let stateDir: string;
  beforeEach(() => {
    stateDir = mkdtempSync(join(tmpdir(), 'cxl-cli-'));
  });
  afterEach(() => rmSync(stateDir, { recursive: true, force: true }));

  it('list --simulate shows the marked card, its IDs, PSL, CAIA, node and AFUs', async () => {
    const r = await runCli(['--state-dir', stateDir, '--simulate', 'list']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^SIMULATED ADAPTER: not real hardware/);
    expect(r.stdout).toMatch(/^card0 {2}U78CB\.001\.WZS0001-P1-C7 {2}\[SIMULATED\]$/m);
    expect(r.stdout).toMatch(/vendor 0x1014 {2}device 0x0477 {2}subsystem 0x1014:0x04cf/);
    expect(r.stdout).toMatch(/PSL {7}revision 12 {2}CAIA 1\.0/);
    expect(r.stdout).toMatch(/\/dev\/cxl\/card0 \(present\)/);
    expect(r.stdout).toMatch(
      /afu0\.0 {4}afu_directed {2}\/dev\/cxl\/afu0\.0m \/dev\/cxl\/afu0\.0s\n +not in use/,
    );
  });

  it('list --json with afu-in-use and card-held names the users: PID, command, user', async () => {
    const r = await runCli([
      '--state-dir',
      stateDir,
      '--simulate=afu-in-use,card-held',
      'list',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as CardReport;
    expect(report.simulated).toBe(true);
    expect(report.simulator?.scenarios).toEqual(['afu-in-use', 'card-held']);
    const card = report.cards[0];
    expect(card).toMatchObject({
      name: 'card0',
      simulated: true,
      pslRevision: 12,
      caiaVersion: '1.0',
      vendorId: 0x1014,
    });
    expect(card?.afus[0]?.users).toEqual([
      {
        pid: 4242,
        command: '/opt/capi/bin/capi-app --device /dev/cxl/afu0.0m',
        uid: 1001,
        user: 'capiuser',
        devicePath: '/dev/cxl/afu0.0m',
      },
    ]);
    expect(card?.holders.map((u) => u.pid)).toEqual([4243]);
    expect(report.cardHolders.map((u) => [u.pid, u.user])).toEqual([[4243, 'root']]);
  });

  it('doctor --simulate shows the simulated adapter, its AFUs and their users; --json keeps its fields', async () => {
    const text = await runCli(['--state-dir', stateDir, '--simulate=afu-in-use', 'doctor']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^cxl-flasher +\S+ {2}\[SIMULATED ADAPTER\]$/m);
    expect(text.stdout).toMatch(/^PowerVM guest +yes/m);
    expect(text.stdout).toMatch(/IN USE by PID 4242 capiuser: \/opt\/capi\/bin\/capi-app/);
    const json = await runCli(['--state-dir', stateDir, '--simulate', 'doctor', '--json']);
    const report = JSON.parse(json.stdout) as {
      simulated: boolean;
      cxlModuleLoaded: boolean;
      cardDevices: { name: string }[];
      adapters: CardReport;
      ioctl: { structSize: number };
    };
    expect(report).toMatchObject({
      simulated: true,
      cxlModuleLoaded: true,
      ioctl: { structSize: 64 },
    });
    expect(report.cardDevices.map((c) => c.name)).toEqual(['card0']);
    expect(report.adapters.cards.map((c) => c.name)).toEqual(['card0']);
  });

  it('shows what a previous run left: an aborted download leaves the simulated flash without a valid image', async () => {
    const sim = await openSimulation({
      dir: join(stateDir, 'simulator'),
      scenarios: ['speed@1000'],
    });
    const device = sim.openCardDevice('/dev/cxl/card0');
    await device.open();
    await runPass(device, 'download', testImage(2 * MiB), { until: 1 });
    await sim.dispose(); // the implicit close: reset
    const r = await runCli(['--state-dir', stateDir, '--simulate', 'list']);
    expect(r.stdout).toMatch(
      /simulated flash holds PARTIAL: an aborted download left no valid image/,
    );
    expect(r.stdout).toMatch(/last event: card0 closed: adapter reset/);
  });

  it('list --simulate=no-cards says there is no simulated card', async () => {
    const r = await runCli(['--state-dir', stateDir, '--simulate=no-cards', 'list']);
    expect(r.stdout).toMatch(/No simulated cards/);
    expect(r.code).toBe(0);
  });

  it('list and doctor --simulate load no native code; koffi comes only with an opened card', () => {
    const url = (path: string): string => JSON.stringify(pathToFileURL(resolve(path)).href);
    const run = (body: string): string[] => {
      const script = `
        const loaded = [];
        const dlopen = process.dlopen;
        process.dlopen = function (module, file, ...rest) { loaded.push(file); return dlopen.call(this, module, file, ...rest); };
        ${body}
        process.stderr.write(JSON.stringify(loaded));`;
      const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
        encoding: 'utf8',
      });
      const out = child.stderr;
      return JSON.parse(out) as string[];
    };
    const argv = (command: string): string =>
      JSON.stringify(['node', 'cli', '--state-dir', stateDir, '--simulate', command]);
    const listed = run(
      `const { main } = await import(${url('dist/commands/program.js')}); await main(${argv('list')}); await main(${argv('doctor')});`,
    );
    expect(listed.filter((f) => /koffi/.test(f))).toEqual([]);
    const opened = run(
      `const { openSimulation } = await import(${url('dist/sim/simulation.js')});
       const sim = await openSimulation({ dir: ${JSON.stringify(join(stateDir, 'simulator'))} });
       const device = sim.openCardDevice('/dev/cxl/card0');
       await device.open(); await sim.dispose();`,
    );
    expect(opened.some((f) => /koffi/.test(f))).toBe(true);
  });

  it('refuses an unknown scenario with exit 2, naming the valid ones, without a stack trace', async () => {
    const r = await runCli(['--state-dir', stateDir, '--simulate=afu-busy', 'list']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^cxl-flasher: Unknown simulator scenario "afu-busy"\.$/m);
    expect(r.stderr).toMatch(/fix: Valid scenarios: speed@N, download-fail@K\[:CODE\]/);
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });

  it('list on this (non-PowerVM) machine finds no cards and says where to look', async () => {
    const r = await runCli(['list']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/No cxl cards found\. Run `cxl-flasher doctor` to see why\./);
  });
});

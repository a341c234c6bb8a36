import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startCli } from '../helpers/cli-process.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cxl-status-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

interface Snapshot {
  simulated: boolean;
  driver: { status: string };
  cxlModuleLoaded: boolean;
  powervmGuest: boolean | null;
  cards: {
    name: string;
    locationCode: string;
    afus: { name: string; users: { pid: number; user: string }[] }[];
  }[];
  flashing: unknown;
}

describe('cxl-flasher status', () => {
  it('--json prints the cards, their AFUs and who uses them', async () => {
    const r = await runCli(['--simulate=afu-in-use', '--state-dir', dir, 'status', '--json']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as Snapshot;
    expect(s).toMatchObject({
      simulated: true,
      cxlModuleLoaded: true,
      powervmGuest: true,
      flashing: null,
    });
    expect(s.cards.map((c) => c.name)).toEqual(['card0']);
    expect(s.cards[0]?.afus[0]?.users[0]).toMatchObject({ pid: 4242, user: 'capiuser' });
  });

  it('prints plain lines and marks the simulated adapter', async () => {
    const r = await runCli(['--simulate', '--state-dir', dir, 'status']);
    expect(r.stdout).toMatch(/\[SIMULATED ADAPTER\]/);
    expect(r.stdout).toMatch(/^card0 +U78CB\.001\.WZS0001-P1-C7/m);
    expect(r.stdout).toMatch(/^ +afu0\.0 +mode afu_directed +not in use$/m);
  });

  it('--watch --json refreshes until Ctrl-C, then exits 0', async () => {
    const watcher = startCli([
      '--simulate',
      '--state-dir',
      dir,
      'status',
      '--watch',
      '--json',
      '--interval',
      '0.2',
    ]);
    await watcher.waitFor(() => watcher.events.length >= 2);
    watcher.child.kill('SIGINT');
    const { code } = await watcher.exit();
    expect(code).toBe(0);
    expect(watcher.events.length).toBeGreaterThanOrEqual(2);
  });

  it('refuses a bad interval with exit 2', async () => {
    const r = await runCli([
      '--simulate',
      '--state-dir',
      dir,
      'status',
      '--watch',
      '--interval',
      'soon',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--interval must be a number of seconds/);
  });
});

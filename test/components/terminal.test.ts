import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { VirtualTerminal } from './vt.js';

const HARNESS = fileURLToPath(new URL('./vt-harness.tsx', import.meta.url));

/** The screen after a flash's worth of updates, rendered as outside CI. */
function screenAfterUpdates(mode: 'production' | 'incremental'): string[] {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => key !== 'CI' && key !== 'CONTINUOUS_INTEGRATION' && !key.startsWith('CI_'),
    ),
  );
  const run = spawnSync(process.execPath, ['--import', 'tsx', HARNESS, mode], {
    env,
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (run.status !== 0) throw new Error(`harness failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as string[];
}

describe('virtual terminal', () => {
  it('applies cursor moves, erases and wraps like a terminal', () => {
    const vt = new VirtualTerminal(10, 3);
    vt.write('abc\ndef\nghi\n');
    expect(vt.screen()).toEqual(['def', 'ghi', '']);
    vt.write('\u001B[2A\u001B[1Gxy\u001B[K');
    expect(vt.screen()).toEqual(['xy', 'ghi', '']);
  });
});

describe('what the user sees after many refreshes (real render options, 80x24)', () => {
  it('shows each line once, in place: header on top, help line at the bottom', () => {
    const screen = screenAfterUpdates('production');
    expect(screen[0]).toMatch(/^cxl-flasher · 5\/7 Validate +⚠ {2}SIMULATED ADAPTER/);
    expect(screen[1]).toMatch(/^─{80}$/);
    expect(screen.filter((row) => row.startsWith('cxl-flasher')).length).toBe(1);
    expect(screen.filter((row) => row.includes('call 7 of 64 done')).length).toBe(1);
    expect(screen.filter((row) => /^ Download [█░]/.test(row)).length).toBe(0);
    expect(screen[22]).toContain('Ctrl-C or q abort (asks first)');
  }, 40_000);

  it("documents why incremental rendering is off: Ink 6.8's version leaves stale rows (ink#909)", () => {
    const screen = screenAfterUpdates('incremental');
    // Each refresh lands one row lower than the last, so old headers stay on screen. If this
    // starts failing, Ink's incremental renderer is fixed (Ink 7 is): turn it back on.
    expect(screen.filter((row) => row.startsWith('cxl-flasher')).length).toBeGreaterThan(1);
  }, 40_000);
});

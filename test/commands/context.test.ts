import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveContext } from '../../src/commands/context.js';
import { UserFacingError } from '../../src/exit-codes.js';

describe('resolveContext with --simulate', () => {
  let stateDir: string;
  beforeEach(() => {
    stateDir = mkdtempSync(join(tmpdir(), 'cxl-ctx-'));
  });
  afterEach(() => rmSync(stateDir, { recursive: true, force: true }));

  it('points root, run dir and card devices into the simulator under the state dir', async () => {
    const context = await resolveContext({ simulate: 'speed@1000', stateDir });
    try {
      expect(context.simulated).toBe(true);
      expect(context.scenarios).toEqual(['speed@1000']);
      expect(context.root.prefix).toBe(join(stateDir, 'simulator', 'root'));
      expect(context.stateDir).toBe(stateDir);
      expect(context.runDir).toBe(join(stateDir, 'simulator', 'root', 'run', 'cxl-flasher'));
      const device = await context.openCardDevice('/dev/cxl/card0');
      expect(await device.open()).toEqual({ ok: true });
      expect(context.simulation?.state().holder?.pid).toBe(process.pid);
    } finally {
      await context.dispose(); // closes the device, as a process exit would
    }
    await context.dispose(); // idempotent
  });

  it('turns a bad scenario into a UserFacingError with exit code 2', async () => {
    await expect(resolveContext({ simulate: 'download-fail@x', stateDir })).rejects.toBeInstanceOf(
      UserFacingError,
    );
  });

  it('keeps the real root without --simulate', async () => {
    const context = await resolveContext({ stateDir });
    expect(context).toMatchObject({ simulated: false, simulation: null, stateDir });
    expect(context.root.isReal).toBe(true);
  });
});

/**
 * The wizard driver without React: `flash IMAGE --yes` in a terminal loads the image and then
 * confirms by itself. A quit while the image loads must end the run there: no review, no
 * confirmation, no open of the card device (docs/kernel-contract.md §4.5).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Phase } from '../../src/flash/events.js';
import { RunStoppedError } from '../../src/flash/run-stopped.js';
import { Wizard } from '../../src/flash/wizard.js';
import { engineRun, type EngineRun } from '../helpers/engine.js';

let run: EngineRun | null = null;
afterEach(async () => {
  await run?.dispose();
  run = null;
});

const settle = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function wizardRun(): Promise<{ r: EngineRun; wizard: Wizard }> {
  run = await engineRun([], { imageSize: 40 * 1024 * 1024, interactive: true });
  const wizard = new Wizard(run.controller, run.services, {
    imagePath: run.imagePath,
    autoConfirm: true,
    imageSearchDirs: [],
  });
  return { r: run, wizard };
}

const phases = (r: EngineRun): Phase[] =>
  r.events.flatMap((e) => (e.event === 'phase' ? [e.phase] : []));

describe('the wizard: quitting while the image loads', () => {
  it('with --yes, Ctrl-C during loadingImage never reaches review, confirm or open', async () => {
    const { r, wizard } = await wizardRun();
    const open = vi.spyOn(r.services, 'deviceSpec');
    const load = vi.spyOn(r.services, 'loadImage');
    let pressed = false;
    r.controller.bus.subscribe((e) => {
      if (e.event !== 'hashing' || pressed) return;
      pressed = true;
      setImmediate(() => wizard.interrupt()); // the Ctrl-C key, on a later turn
    });

    wizard.start();
    expect(await r.controller.finished).toBe(130);
    await Promise.allSettled(load.mock.results.map((x) => x.value as Promise<unknown>));
    await settle(300); // the auto-confirm would run on setImmediate, the open soon after

    expect(pressed).toBe(true);
    expect(open).not.toHaveBeenCalled();
    expect(r.events.filter((e) => e.event === 'result')).toHaveLength(1);
    expect(phases(r)).not.toContain('review');
    expect(phases(r).at(-1)).toBe('summary');
    expect(r.controller.currentPhase).toBe('summary');
    expect(r.attempts()).toEqual([]);
  });

  it('SIGHUP during loadingImage ends the run the same way', async () => {
    const { r, wizard } = await wizardRun();
    const open = vi.spyOn(r.services, 'deviceSpec');
    const load = vi.spyOn(r.services, 'loadImage');
    let sent = false;
    r.controller.bus.subscribe((e) => {
      if (e.event !== 'hashing' || sent) return;
      sent = true;
      setImmediate(() => r.controller.hangup());
    });

    wizard.start();
    expect(await r.controller.finished).toBe(130);
    await Promise.allSettled(load.mock.results.map((x) => x.value as Promise<unknown>));
    await settle(300);

    expect(open).not.toHaveBeenCalled();
    expect(r.events.filter((e) => e.event === 'result')).toHaveLength(1);
    expect(r.attempts()).toEqual([]);
  });

  it('a confirmation after the quit is ignored', async () => {
    const { r, wizard } = await wizardRun();
    const open = vi.spyOn(r.services, 'deviceSpec');
    r.controller.bus.subscribe((e) => {
      if (e.event === 'phase' && e.phase === 'loadingImage') setImmediate(() => wizard.interrupt());
    });
    wizard.start();
    expect(await r.controller.finished).toBe(130);
    wizard.confirmFlash();
    await expect(r.controller.flash()).rejects.toBeInstanceOf(RunStoppedError);
    await settle(300);
    expect(open).not.toHaveBeenCalled();
    expect(r.events.filter((e) => e.event === 'result')).toHaveLength(1);
  });
});

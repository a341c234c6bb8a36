/**
 * A quit (Ctrl-C, SIGINT, SIGHUP, SIGTERM) before the card device is opened ends the run there:
 * no later step runs, the device is never opened (open + close alone resets the adapter,
 * docs/kernel-contract.md §4.1/§4.5), one result event, and no attempt is journaled as failed.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runHeadlessFlash } from '../../src/flash/headless.js';
import type { FlashEvent } from '../../src/flash/events.js';
import { engineRun, type EngineRun } from '../helpers/engine.js';

let run: EngineRun | null = null;
afterEach(async () => {
  await run?.dispose();
  run = null;
});

/** 40 MiB: five 8 MiB reads, so a signal lands while the image is still being hashed. */
const BIG = 40 * 1024 * 1024;

/** Deliver `signal` on a later turn of the event loop, as the process receives a real one. */
function onFirst(r: EngineRun, match: (e: FlashEvent) => boolean, act: () => void): void {
  let fired = false;
  r.controller.bus.subscribe((e) => {
    if (fired || !match(e)) return;
    fired = true;
    setImmediate(act);
  });
}

const results = (r: EngineRun): FlashEvent[] => r.events.filter((e) => e.event === 'result');

describe('quitting before the card device is opened (headless)', () => {
  it.each([
    ['SIGINT (Ctrl-C)', (r: EngineRun) => r.controller.interrupt()],
    ['SIGHUP', (r: EngineRun) => r.controller.hangup()],
    ['SIGTERM', (r: EngineRun) => r.controller.terminate()],
  ])(
    '%s while the image is hashed: nothing later runs, the device is never opened',
    async (_, signal) => {
      run = await engineRun([], { imageSize: BIG });
      const r = run;
      const open = vi.spyOn(r.services, 'deviceSpec');
      const preflight = vi.spyOn(r.services, 'preflight');
      onFirst(
        r,
        (e) => e.event === 'hashing',
        () => signal(r),
      );

      const code = await runHeadlessFlash(r.controller, { imagePath: r.imagePath, yes: true });
      // give anything still running in the background the chance to misbehave
      await new Promise((resolve) => setTimeout(resolve, 200));

      expect(code).toBe(130);
      expect(open).not.toHaveBeenCalled();
      expect(preflight).not.toHaveBeenCalled();
      expect(results(r)).toHaveLength(1);
      expect(results(r)[0]).toMatchObject({ outcome: 'aborted', exitCode: 130, journalId: null });
      expect(r.events.at(-1)?.event).toBe('result');
      expect(r.events.some((e) => e.event === 'image' || e.event === 'preflight')).toBe(false);
      expect(r.attempts()).toEqual([]);
      expect(r.controller.currentPhase).toBe('summary');
    },
  );

  it('a quit between the confirmation and the open: the device is still never opened', async () => {
    run = await engineRun();
    const r = run;
    const open = vi.spyOn(r.services, 'deviceSpec');
    // `review` is the last phase before the attempt starts writing its journal record.
    onFirst(
      r,
      (e) => e.event === 'phase' && e.phase === 'review',
      () => r.controller.interrupt(),
    );

    const code = await runHeadlessFlash(r.controller, { imagePath: r.imagePath, yes: true });
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect(code).toBe(130);
    expect(open).not.toHaveBeenCalled();
    expect(results(r)).toHaveLength(1);
    expect(results(r)[0]).toMatchObject({ outcome: 'aborted', exitCode: 130 });
    expect(r.attempts().filter((a) => a.terminal?.type === 'failed')).toEqual([]);
    expect(r.attempts().every((a) => a.terminal?.type === 'aborted')).toBe(true);
    expect(r.context.simulation?.state().image.state).toBe('valid');
  });

  it('a quit while the image loads ends the run even when the load then fails', async () => {
    run = await engineRun([], { imageSize: BIG });
    const r = run;
    const open = vi.spyOn(r.services, 'deviceSpec');
    onFirst(
      r,
      (e) => e.event === 'hashing',
      () => r.controller.interrupt(),
    );
    const code = await runHeadlessFlash(r.controller, {
      imagePath: r.imagePath,
      expectedSha256: '0'.repeat(64), // a mismatch: the load would end in a refusal (exit 2)
      yes: true,
    });
    expect(code).toBe(130);
    expect(open).not.toHaveBeenCalled();
    expect(results(r)).toHaveLength(1);
    expect(results(r)[0]).toMatchObject({ outcome: 'aborted', exitCode: 130 });
  });
});

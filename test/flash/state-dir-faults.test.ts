/**
 * A state directory that cannot hold the journal or the lock (read-only, full, a path through a
 * regular file, a directory where a file should be). The run must end calmly: exactly one result
 * event naming the problem and the fix, `finished` resolves, exit 3 (a preflight refusal), and
 * the card device is never opened, since the journal could not record the attempt (docs/architecture.md §6).
 * chmod does not stop root, so the faults are made of paths, not permissions; /dev/full stands
 * for a full disk (every write fails with ENOSPC).
 */
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FlashEvent } from '../../src/flash/events.js';
import { runHeadlessFlash } from '../../src/flash/headless.js';
import { Wizard } from '../../src/flash/wizard.js';
import { JournalWriter } from '../../src/journal/journal.js';
import type { JournalRecord } from '../../src/journal/records.js';
import { engineRun, type EngineRun } from '../helpers/engine.js';

let run: EngineRun | null = null;
afterEach(async () => {
  vi.restoreAllMocks();
  await run?.dispose();
  run = null;
});

const results = (r: EngineRun) =>
  r.events.flatMap((e) => (e.event === 'result' ? [e] : ([] as never[])));

/** The calm refusal every fault of the state directory must end in. */
function expectRefusal(r: EngineRun, code: number, open: { mock: { calls: unknown[] } }): void {
  expect(code).toBe(3);
  expect(results(r)).toHaveLength(1);
  const [result] = results(r);
  expect(result).toMatchObject({ outcome: 'refused', exitCode: 3, journalId: null });
  expect(result?.message).toContain(r.services.stateDir);
  // refused by the preflight list, or by the attempt after it: either way before the device
  expect(result?.message).toMatch(/^Preflight refused: |not opened/);
  expect(result?.message).not.toMatch(/\n\s+at /); // no stack trace
  expect(result?.nextStep).toMatch(/--state-dir/);
  expect(r.events.at(-1)?.event).toBe('result');
  expect(r.controller.currentPhase).toBe('summary');
  expect(open.mock.calls).toHaveLength(0);
  expect(r.context.simulation?.state().image.state).toBe('valid');
}

const headless = (r: EngineRun): Promise<number> =>
  runHeadlessFlash(r.controller, { imagePath: r.imagePath, yes: true });

describe('a state directory that cannot be written (headless)', () => {
  it('journal.jsonl is a directory: refused before the device, one result', async () => {
    run = await engineRun();
    mkdirSync(join(run.dir, 'journal.jsonl'));
    const open = vi.spyOn(run.services, 'deviceSpec');
    const code = await headless(run);
    expectRefusal(run, code, open);
    expect(results(run)[0]?.message).toContain('journal.jsonl');
    expect(await run.controller.finished).toBe(3);
  });

  it('the state directory lies under a regular file: refused before the device', async () => {
    const parent = join(tmpdir(), `cxl-file-${process.pid}`);
    writeFileSync(parent, 'not a directory');
    try {
      run = await engineRun([], { stateDir: join(parent, 'state') });
      const open = vi.spyOn(run.services, 'deviceSpec');
      const code = await headless(run);
      expectRefusal(run, code, open);
      expect(await run.controller.finished).toBe(3);
    } finally {
      rmSync(parent, { force: true });
    }
  });

  it('the lock cannot be created (a directory in its place): refused, one result', async () => {
    run = await engineRun();
    mkdirSync(join(run.dir, 'lock'));
    const open = vi.spyOn(run.services, 'deviceSpec');
    const code = await headless(run);
    expectRefusal(run, code, open);
    expect(results(run)[0]?.message).toContain('lock');
  });
});

describe('the state directory breaks between the checks and the flash', () => {
  /** Run up to the review, break the state directory, then confirm. */
  async function breakThenFlash(r: EngineRun, breakIt: () => void): Promise<number> {
    r.controller.begin();
    r.controller.discover();
    r.controller.selectCard(undefined);
    await r.controller.loadImage(r.imagePath);
    expect(r.controller.preflight().every((c) => c.status !== 'fail')).toBe(true);
    breakIt();
    return r.controller.flash();
  }

  it('the journal cannot be opened: flash() resolves with one refusal', async () => {
    run = await engineRun();
    const r = run;
    const open = vi.spyOn(r.services, 'deviceSpec');
    const code = await breakThenFlash(r, () => mkdirSync(join(r.dir, 'journal.jsonl')));
    expectRefusal(r, code, open);
    expect(await r.controller.finished).toBe(3);
  });

  it('a link to /dev/full in place of the journal: refused as a link, the device never opened', async () => {
    run = await engineRun();
    const r = run;
    const open = vi.spyOn(r.services, 'deviceSpec');
    const code = await breakThenFlash(r, () =>
      symlinkSync('/dev/full', join(r.dir, 'journal.jsonl')),
    );
    expectRefusal(r, code, open);
    expect(results(r)[0]?.message).toMatch(/journal .* is a symbolic link/);
    rmSync(join(r.dir, 'journal.jsonl'));
  });

  it('the lock cannot be created: flash() resolves with one refusal', async () => {
    run = await engineRun();
    const r = run;
    const open = vi.spyOn(r.services, 'deviceSpec');
    const code = await breakThenFlash(r, () => mkdirSync(join(r.dir, 'lock')));
    expectRefusal(r, code, open);
  });

  it('in the wizard: the summary shows the refusal and the run finishes', async () => {
    run = await engineRun([], { interactive: true });
    const r = run;
    const open = vi.spyOn(r.services, 'deviceSpec');
    const wizard = new Wizard(r.controller, r.services, {
      imagePath: r.imagePath,
      imageSearchDirs: [],
    });
    wizard.start();
    await new Promise<void>((resolve) => {
      const check = (): boolean => r.controller.currentPhase === 'review';
      if (check()) return resolve();
      const off = r.controller.store.subscribe(() => {
        if (check()) {
          off();
          resolve();
        }
      });
    });
    await new Promise((resolve) => setImmediate(resolve)); // the key comes after the load settled
    mkdirSync(join(r.dir, 'journal.jsonl'));
    wizard.confirmFlash();
    expectRefusal(r, await r.controller.finished, open);
    expect(r.controller.store.getState().result?.exitCode).toBe(3);
  });
});

describe('the journal fails after the device was opened', () => {
  /** A full disk from the first record that matches on: this writer keeps failing. */
  function failJournalFrom(match: (record: JournalRecord) => boolean): void {
    const original = JournalWriter.prototype.append;
    vi.spyOn(JournalWriter.prototype, 'append').mockImplementation(function (
      this: JournalWriter,
      record,
    ) {
      if (match(record)) {
        (this as unknown as { failure: Error }).failure = Object.assign(
          new Error('ENOSPC: no space left on device, write'),
          { code: 'ENOSPC' },
        );
      }
      return original.call(this, record);
    });
  }

  it('before the first download call: stop there, close the device, the image is not erased', async () => {
    run = await engineRun();
    const r = run;
    failJournalFrom((rec) => rec.type === 'progress' && rec.phase === 'download' && rec.call === 0);
    const code = await headless(r);
    expect(results(r)).toHaveLength(1);
    const [result] = results(r);
    expect(code).toBe(1);
    expect(result).toMatchObject({ outcome: 'failed', exitCode: 1 });
    expect(result?.message).toMatch(/ENOSPC/);
    expect(result?.message).toMatch(/not erased/);
    expect(
      r.events.some((e: FlashEvent) => e.event === 'warning' && e.code === 'journal-write'),
    ).toBe(false);
    expect(r.events.some((e: FlashEvent) => e.event === 'progress' && e.call > 0)).toBe(false);
    expect(r.context.simulation?.state().image.state).toBe('valid');
    expect(r.context.simulation?.state().holder).toBeNull();
    // what reached the disk says: started, never past the open (recover: nothing erased)
    expect(r.attempts()[0]).toMatchObject({ terminal: null, lastProgress: { phase: 'open' } });
  });

  it('during the validate: the flash completes, one warning before the result', async () => {
    run = await engineRun();
    const r = run;
    failJournalFrom((rec) => rec.type === 'progress' && rec.phase === 'validate');
    const code = await headless(r);
    expect(code).toBe(0);
    const warnings = r.events.filter((e) => e.event === 'warning' && e.code === 'journal-write');
    expect(warnings).toHaveLength(1);
    expect(r.events.indexOf(warnings[0] as FlashEvent)).toBeLessThan(
      r.events.findIndex((e) => e.event === 'result'),
    );
    expect(results(r)).toHaveLength(1);
    expect(results(r)[0]?.outcome).toBe('success');
  });
});

describe('an unexpected error inside the device step', () => {
  it('before the open: one result, finished resolves, the device is never opened', async () => {
    run = await engineRun();
    const r = run;
    const open = vi.spyOn(r.services, 'deviceSpec');
    vi.spyOn(r.services, 'markKernelLog').mockImplementation(() => {
      throw new Error('EACCES: permission denied, open /dev/kmsg');
    });
    const code = await headless(r);
    expect(code).toBe(3);
    expect(results(r)).toHaveLength(1);
    expect(results(r)[0]?.message).toMatch(/EACCES/);
    expect(results(r)[0]?.message).toMatch(/not opened/);
    expect(open).not.toHaveBeenCalled();
    expect(await r.controller.finished).toBe(3);
    // the attempt was journaled, so it ends with a terminal record
    expect(r.attempts()[0]?.terminal?.exitCode).toBe(3);
  });

  it('during the reload wait: one result, the journal says how it ended', async () => {
    run = await engineRun();
    const r = run;
    vi.spyOn(r.services, 'waitForReload').mockRejectedValue(new Error('EIO reading sysfs'));
    const code = await headless(r);
    expect(results(r)).toHaveLength(1);
    expect(code).toBe(5);
    expect(results(r)[0]).toMatchObject({ outcome: 'lost', exitCode: 5 });
    expect(results(r)[0]?.message).toMatch(/EIO reading sysfs/);
    expect(r.attempts()[0]?.terminal?.type).toBe('lost');
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/app.js';
import type { FlashStore } from '../../src/store.js';
import { AFTER_CARD, emit, FREE_CARD, recordingActions, storeAt } from './fixtures.js';
import { KEY, renderInk, unmountAll, unwrapped } from './render.js';

afterEach(unmountAll);

function success(): FlashStore {
  const store = storeAt('summary');
  emit(store, {
    event: 'result',
    outcome: 'success',
    exitCode: 0,
    journalId: 'j-20261125-0700',
    message: 'The new image is active: PSL revision 19 (was 18).',
    nextStep: 'Restart the applications that use the adapter.',
    durationsMs: { download: 24_000, validate: 22_000, reload: 42_000, total: 90_000 },
    largestGapMs: 14,
    gapP99Ms: 2.4,
    before: FREE_CARD,
    after: AFTER_CARD,
  });
  return store;
}

function failure(): FlashStore {
  const store = storeAt('summary');
  emit(store, {
    event: 'error',
    phase: 'validate',
    call: 36,
    errno: 22,
    errnoName: 'EINVAL',
    meaning: 'The hypervisor refused the data.',
    action:
      'Flash an image built for this adapter: cxl-flasher recover --card U78C9.001.WZS0ABC-P1-C5',
    hcall: { rc: -70, name: 'H_BAD_DATA', meaning: 'image verification failed' },
    adapterState: 'Reset; it has no valid image until a complete flash succeeds.',
  });
  emit(store, {
    event: 'result',
    outcome: 'rejected',
    exitCode: 4,
    journalId: 'j-20261125-0701',
    message: 'The hypervisor rejected the image at validation (call 37 of 257).',
    nextStep: 'Flash an image built for this adapter.',
    durationsMs: { download: 24_000, validate: 9_000, total: 35_000 },
    largestGapMs: 2_600,
    gapP99Ms: null,
    before: FREE_CARD,
    after: null,
  });
  return store;
}

describe('summary', () => {
  it('shows the result, durations per phase, largest gap, journal id and next step', async () => {
    const { actions } = recordingActions();
    const r = await renderInk(<App store={success()} actions={actions} />, { rows: 50 });
    const frame = unwrapped(r.lastFrame());
    expect(frame).toContain('✔ SUCCESS The new image is active');
    expect(frame).toContain('(exit code 0)');
    expect(frame).toContain('Journal id j-20261125-0700');
    expect(frame).toContain('Download 24.0 s');
    expect(frame).toContain('Reload 42.0 s');
    expect(frame).toContain('Total time 1:30');
    expect(frame).toContain('Largest gap 14 ms, 99% within 3 ms (limit 3 s)');
    expect(frame).toContain('Restart the applications that use the adapter.');
  });

  it('puts the properties before and after side by side and marks what changed', async () => {
    const { actions } = recordingActions();
    const r = await renderInk(<App store={success()} actions={actions} />, { rows: 50 });
    const row = r
      .lastFrame()
      .split('\n')
      .find((line) => line.trimStart().startsWith('PSL revision'));
    expect(row).toMatch(/PSL revision\s+18\s+19 \(changed\)/);
    expect(r.lastFrame()).toMatch(
      /Location code\s+U78C9.001.WZS0ABC-P1-C5\s+U78C9.001.WZS0ABC-P1-C5\n/,
    );
  });

  it('explains a failure: errno, hypervisor return code, the adapter now, the safe step', async () => {
    const { actions } = recordingActions();
    const r = await renderInk(<App store={failure()} actions={actions} />, { rows: 50 });
    const frame = unwrapped(r.lastFrame());
    expect(frame).toContain('✖ REJECTED The hypervisor rejected the image');
    expect(frame).toContain('(exit code 4)');
    expect(frame).toContain('Where validate, call 37');
    expect(frame).toContain('EINVAL (22): The hypervisor refused the data.');
    expect(frame).toContain('H_BAD_DATA (-70): image verification failed');
    expect(frame).toContain('Reset; it has no valid image until a complete flash succeeds.');
    expect(frame).toContain('cxl-flasher recover --card U78C9.001.WZS0ABC-P1-C5');
    expect(frame).toContain('After the reload');
    expect(frame).toContain('not known');
  });

  it('fits 80x24 by scrolling, and leaves with Enter, q or Esc', async () => {
    for (const key of [KEY.enter, 'q', KEY.escape]) {
      const { actions, calls } = recordingActions();
      const r = await renderInk(<App store={failure()} actions={actions} />);
      expect(r.lastFrame()).toMatch(/more lines? below/);
      await r.press(key);
      expect(calls).toEqual([['exit']]);
      r.unmount();
    }
  });
});

import figures from 'figures';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/app.js';
import { ASCII_GLYPHS } from '../../src/components/glyphs.js';
import { adoptAsciiFigures } from '../../src/components/theme.js';
import type { Phase } from '../../src/flash/events.js';
import type { FlashStore } from '../../src/store.js';
import {
  AFTER_CARD,
  emit,
  FREE_CARD,
  noValidImageVerdict,
  recordingActions,
  snapshot,
  storeAt,
} from './fixtures.js';
import { frameRows, renderInk, unmountAll } from './render.js';

afterEach(unmountAll);

const PHASES: readonly Phase[] = [
  'starting',
  'recovery',
  'selectAdapter',
  'selectImage',
  'loadingImage',
  'review',
  'opening',
  'download',
  'validate',
  'reload',
  'summary',
];

/** A store in `phase` with what that phase's screen shows. */
function busyStore(phase: Phase): FlashStore {
  const store = storeAt(phase, {
    simulated: true,
    recovery: noValidImageVerdict(),
    imageCandidates: ['/var/tmp/images/capi-new.bin'],
  });
  if (phase === 'loadingImage') emit(store, { event: 'hashing', bytes: 5, totalBytes: 10 });
  if (phase === 'download' || phase === 'validate')
    emit(store, {
      event: 'progress',
      ...snapshot({ phase, inFlightMs: null, gapSinceReturnMs: 2700 }),
    });
  if (phase === 'reload')
    emit(store, {
      event: 'reload',
      state: 'closing',
      elapsedMs: 1000,
      deadlineMs: 300_000,
      message: 'Closing the card device.',
    });
  for (let i = 0; i < 3; i++)
    emit(store, {
      event: 'warning',
      code: 'gap',
      message: `1.2 s passed between download call ${i} returning and call ${i + 1} starting (the hypervisor's limit is 3 s).`,
    });
  if (phase === 'summary') {
    emit(store, {
      event: 'error',
      phase: 'validate',
      call: 36,
      errno: 5,
      errnoName: 'EIO',
      meaning: 'The hypervisor reported a hardware error.',
      action: 'Flash again: cxl-flasher recover --card U78C9.001.WZS0ABC-P1-C5',
      hcall: { rc: -2, name: 'H_HARDWARE', meaning: 'hardware error' },
      adapterState: 'Reset, with no valid image.',
    });
    emit(store, {
      event: 'result',
      outcome: 'failed',
      exitCode: 1,
      journalId: 'j-7',
      message: 'The validate call 37 of 257 failed with EIO (hypervisor H_HARDWARE).',
      nextStep: 'Flash again: cxl-flasher recover --card U78C9.001.WZS0ABC-P1-C5',
      durationsMs: { download: 24_000, validate: 9_000, total: 35_000 },
      largestGapMs: 14,
      gapP99Ms: null,
      before: FREE_CARD,
      after: AFTER_CARD,
    });
  }
  return store;
}

describe('every screen of the wizard', () => {
  for (const phase of PHASES) {
    it(`${phase}: fits 80x24, marks the simulated adapter, says what Ctrl-C does and the keys`, async () => {
      const { actions } = recordingActions();
      const store = busyStore(phase);
      const r = await renderInk(<App store={store} actions={actions} />, {
        columns: 80,
        rows: 24,
      });
      await r.waitFor('SIMULATED ADAPTER');
      const rows = frameRows(r.lastFrame());
      expect(rows.length).toBeLessThan(24);
      expect(rows.every((row) => row.length <= 80)).toBe(true);
      expect(rows[0]).toContain('SIMULATED ADAPTER');
      // the whole Ctrl-C sentence, above the help line (the footer is never clipped)
      const footer = rows.slice(-5).join(' ').replace(/\s+/g, ' ');
      expect(footer).toContain(store.getState().ctrlC.description);
      expect(rows.at(-1)).toMatch(/\bq\b|Ctrl-C|Enter/);
    });
  }
});

describe('terminal size', () => {
  it('re-lays out on resize: wider map rows, more height', async () => {
    const store = busyStore('download');
    const { actions } = recordingActions();
    const r = await renderInk(<App store={store} actions={actions} />, { columns: 80, rows: 24 });
    const mapRow = (frame: string): number =>
      Math.max(...frameRows(frame).map((row) => (/^ [█▶░✗]+$/.test(row) ? row.length : 0)));
    expect(mapRow(r.lastFrame())).toBe(79);
    r.stdout.resize(120, 40);
    const frame = await r.waitUntil((f) => mapRow(f) === 119);
    expect(frameRows(frame)).toHaveLength(39);
    r.stdout.resize(80, 24);
    const back = await r.waitUntil((f) => frameRows(f).length === 23);
    expect(mapRow(back)).toBe(79);
  });

  it('keeps a real adapter free of the simulated badge', async () => {
    const { actions } = recordingActions();
    const r = await renderInk(<App store={storeAt('selectAdapter')} actions={actions} />);
    expect(r.lastFrame()).not.toContain('SIMULATED');
  });
});

describe('TERM=dumb', () => {
  const saved = { pointer: figures.pointer, tick: figures.tick };
  afterEach(() => Object.assign(figures, saved));

  for (const phase of PHASES) {
    it(`${phase}: draws only ASCII`, async () => {
      adoptAsciiFigures(ASCII_GLYPHS);
      const store = busyStore(phase);
      if (phase === 'download') store.setState({ interruptPrompt: true });
      const { actions } = recordingActions();
      const r = await renderInk(<App store={store} actions={actions} glyphs={ASCII_GLYPHS} />);
      await r.waitFor('SIMULATED ADAPTER');
      expect(r.lastFrame()).toMatch(/^[\x20-\x7e\n]*$/);
    });
  }
});

/**
 * The wizard at any size: every screen fits 40x15 and 60x20, the review never lets a user
 * confirm without the preflight verdict in view, a terminal below the minimum is told so, and a
 * resize during the transfer redraws the bar with its label and percentage.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/app.js';
import type { Phase } from '../../src/flash/events.js';
import { emit, recordingActions, snapshot, storeAt } from './fixtures.js';
import { frameRows, renderInk, unmountAll, unwrapped } from './render.js';

afterEach(unmountAll);

const VERDICT = /Preflight: 2 checks passed, 1 warning/;
const QUESTION = /[Ff]lash capi-new\.bin onto U78C9\.001\.WZS0ABC-P1-C5 \(card0\)\? y\/N/;

function downloadStore() {
  const store = storeAt('download', { simulated: true });
  emit(store, { event: 'progress', ...snapshot({ phase: 'download' }) });
  return store;
}

const fits = (frame: string, columns: number, rows: number): void => {
  const lines = frameRows(frame);
  expect(lines.length).toBeLessThan(rows);
  for (const line of lines) expect(line.length).toBeLessThanOrEqual(columns);
};

describe('the review at small sizes', () => {
  for (const [columns, rows] of [
    [40, 15],
    [40, 12],
    [60, 20],
    [80, 24],
    [200, 50],
  ] as const) {
    it(`${columns}x${rows}: the question carries the verdict in one line, and both fit`, async () => {
      const { actions, calls } = recordingActions();
      const r = await renderInk(<App store={storeAt('review')} actions={actions} />, {
        columns,
        rows,
      });
      const frame = await r.waitFor(/more lines? below|y\/N/);
      fits(frame, columns, rows);
      expect(frame).toContain('y/N');
      expect(frameRows(frame).some((line) => VERDICT.test(line))).toBe(true);
      expect(unwrapped(frame)).toMatch(QUESTION);
      await r.press('y');
      expect(calls).toEqual([['confirmFlash']]);
    });
  }

  it('40x15: a hint says there is more above the question (no zero-row check list)', async () => {
    const { actions } = recordingActions();
    const r = await renderInk(<App store={storeAt('review')} actions={actions} />, {
      columns: 40,
      rows: 15,
    });
    expect(r.lastFrame()).toMatch(/more lines? below/);
  });

  it('a failed check: the verdict says so and y does nothing', async () => {
    const store = storeAt('review');
    emit(store, {
      event: 'preflight',
      checks: [
        { id: 'driver-loaded', label: 'cxl driver', status: 'pass', message: 'loaded' },
        { id: 'afu-users', label: 'AFU users', status: 'fail', message: 'afu0.0 is open' },
      ],
    });
    const { actions, calls } = recordingActions();
    const r = await renderInk(<App store={store} actions={actions} />, { columns: 40, rows: 15 });
    expect(r.lastFrame()).toMatch(/1 check passed, 1 failed/);
    await r.press('y');
    expect(calls).toEqual([]);
  });
});

describe('below the minimum size', () => {
  it('says so instead of drawing the screen, takes no y, and redraws when enlarged', async () => {
    const { actions, calls } = recordingActions();
    const r = await renderInk(<App store={storeAt('review')} actions={actions} />, {
      columns: 36,
      rows: 10,
    });
    const small = r.lastFrame();
    expect(unwrapped(small)).toMatch(/too small/i);
    expect(unwrapped(small)).toMatch(/40x12/);
    expect(small).not.toMatch(/y\/N/);
    fits(small, 36, 10);
    await r.press('y');
    expect(calls).toEqual([]);
    r.stdout.resize(80, 24);
    const big = await r.waitFor('y/N');
    expect(big).toMatch(VERDICT);
    r.stdout.resize(39, 24);
    await r.waitFor(/too small/i);
  });

  it('during a transfer Ctrl-C still asks to abort', async () => {
    const { actions, calls } = recordingActions();
    const r = await renderInk(<App store={downloadStore()} actions={actions} />, {
      columns: 30,
      rows: 8,
    });
    expect(r.lastFrame()).toMatch(/too small/i);
    await r.press('\u0003');
    expect(calls).toEqual([['interrupt']]);
  });
});

describe('every screen fits the small sizes', () => {
  const PHASES: readonly Phase[] = [
    'selectAdapter',
    'selectImage',
    'review',
    'download',
    'validate',
  ];
  for (const phase of PHASES)
    for (const [columns, rows] of [
      [40, 15],
      [60, 20],
    ] as const)
      it(`${phase} at ${columns}x${rows}`, async () => {
        const store = storeAt(phase, { simulated: true, imageCandidates: ['/a/b.bin'] });
        if (phase === 'download' || phase === 'validate')
          emit(store, { event: 'progress', ...snapshot({ phase }) });
        const { actions } = recordingActions();
        const r = await renderInk(<App store={store} actions={actions} />, { columns, rows });
        fits(r.lastFrame(), columns, rows);
        expect(frameRows(r.lastFrame())[0]).toContain('SIMULATED');
      });
});

describe('resizing during the transfer', () => {
  const barLine = (frame: string): string =>
    frameRows(frame).find((line) => line.startsWith(' Download ')) ?? '';

  it('redraws the bar at the new width with its label and percentage', async () => {
    const { actions } = recordingActions();
    const r = await renderInk(<App store={downloadStore()} actions={actions} />, {
      columns: 120,
      rows: 30,
    });
    expect(barLine(r.lastFrame())).toMatch(/Download [█░]+ +37% 95\.0 MiB of 256 MiB/);
    r.stdout.resize(40, 15);
    const narrow = await r.waitUntil((f) => (frameRows(f)[0] ?? '').length <= 40);
    fits(narrow, 40, 15);
    expect(barLine(narrow)).toMatch(/Download [█░]{10,} +37%$/);
    // the bytes moved below the bar instead of pushing the percentage off the row
    expect(narrow).toMatch(/^ 95\.0 MiB of 256 MiB/m);
    r.stdout.resize(200, 50);
    const wide = await r.waitUntil((f) => (frameRows(f)[0] ?? '').length > 120);
    expect(barLine(wide)).toMatch(/Download [█░]+ +37% 95\.0 MiB of 256 MiB/);
    expect(barLine(wide).length).toBeLessThanOrEqual(200);
  });

  it('the bar fills the row at each width (not a width kept from the first layout)', async () => {
    const { actions } = recordingActions();
    const r = await renderInk(<App store={downloadStore()} actions={actions} />, {
      columns: 60,
      rows: 20,
    });
    const cells = (f: string): number => (barLine(f).match(/[█░]/g) ?? []).length;
    const at60 = cells(r.lastFrame());
    r.stdout.resize(100, 20);
    await r.waitUntil((f) => (frameRows(f)[0] ?? '').length > 60);
    await new Promise((res) => setTimeout(res, 50));
    expect(cells(r.lastFrame())).toBeGreaterThan(at60);
  });
});

describe('the transfer at the smallest sizes', () => {
  for (const [columns, rows] of [
    [40, 12],
    [40, 15],
    [60, 20],
  ] as const) {
    it(`${columns}x${rows}: the bar with its percentage is in view`, async () => {
      const { actions } = recordingActions();
      const r = await renderInk(<App store={downloadStore()} actions={actions} />, {
        columns,
        rows,
      });
      const frame = r.lastFrame();
      fits(frame, columns, rows);
      expect(frame).toMatch(/^ Download [█░]+ +37%/m);
    });

    it(`${columns}x${rows}: the abort question is in view with what it does`, async () => {
      const store = downloadStore();
      store.setState({ interruptPrompt: true });
      const { actions, calls } = recordingActions();
      const r = await renderInk(<App store={store} actions={actions} />, { columns, rows });
      const frame = r.lastFrame();
      fits(frame, columns, rows);
      expect(unwrapped(frame)).toMatch(/Abort the flash\? y\/N/);
      expect(unwrapped(frame)).toMatch(/no valid image/);
      await r.press('y');
      expect(calls).toEqual([['confirmInterrupt']]);
    });
  }
});

describe('the chunk map key', () => {
  it('60x20: every glyph of the key is shown (on its own row when the title takes the first)', async () => {
    const { actions } = recordingActions();
    const r = await renderInk(<App store={downloadStore()} actions={actions} />, {
      columns: 60,
      rows: 20,
    });
    const frame = r.lastFrame();
    fits(frame, 60, 20);
    expect(frame).toMatch(/░ pending ✗ failed/);
    expect(frame).toMatch(/^ [█▶░]+$/m);
  });
});

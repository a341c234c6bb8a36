import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/app.js';
import { ASCII_GLYPHS } from '../../src/components/glyphs.js';
import { createFlashStore, type FlashStore } from '../../src/store.js';
import { emit, enter, recordingActions, snapshot, storeAt } from './fixtures.js';
import { frameRows, KEY, renderInk, unmountAll, unwrapped } from './render.js';

afterEach(unmountAll);

function downloadStore(over: Parameters<typeof snapshot>[0] = {}): FlashStore {
  const store = storeAt('download');
  emit(store, { event: 'progress', ...snapshot(over) });
  return store;
}

/** Actions that do to the store what the controller does for the Ctrl-C dialog. */
function controllerLike(store: FlashStore) {
  return recordingActions({
    interrupt: () => store.setState({ interruptPrompt: true }),
    dismissInterrupt: () => store.setState({ interruptPrompt: false }),
    confirmInterrupt: () => store.setState({ interruptPrompt: false }),
  });
}

describe('transfer screen', () => {
  it('shows percent, bytes, rate, ETA and the call count of the pass', async () => {
    const { actions } = recordingActions();
    const r = await renderInk(<App store={downloadStore()} actions={actions} />);
    const frame = r.lastFrame();
    expect(frame).toContain('37% 95.0 MiB of 256 MiB');
    expect(frame).toContain('call 95 of 256 done');
    expect(frame).toContain('12.3 MB/s');
    expect(frame).toContain('ETA 0:13');
    expect(frame).toContain('Call 96 of 256 in the hypervisor for 400 ms');
  });

  it('stays below 24 rows at 80x24 with a 256-call map, every call drawn, Ctrl-C line visible', async () => {
    const store = downloadStore();
    for (let i = 0; i < 5; i++)
      emit(store, { event: 'warning', code: 'gap', message: `warning ${i}` });
    const { actions } = recordingActions();
    const r = await renderInk(<App store={store} actions={actions} />, { columns: 80, rows: 24 });
    const rows = frameRows(r.lastFrame());
    expect(rows.length).toBeLessThan(24);
    expect(rows.every((row) => row.length <= 80)).toBe(true);
    const legend = rows.findIndex((row) => row.includes('Chunk map'));
    const map = rows.slice(legend + 1).filter((row) => /^ [█▶░✗]+$/.test(row));
    expect(map.map((row) => row.trim().length)).toEqual([78, 78, 78, 22]);
    expect(map.join('').match(/▶/g)).toHaveLength(1);
    expect(r.lastFrame()).toContain('1 cell per call');
    expect(r.lastFrame()).toContain('Ctrl-C asks before aborting');
    expect(r.lastFrame()).toContain('warning 4');
  });

  it('groups calls into cells when the map would not fit, and says so', async () => {
    const store = storeAt('download');
    emit(store, { event: 'progress', ...snapshot({ calls: 2048, call: 100 }) });
    const { actions } = recordingActions();
    const r = await renderInk(<App store={store} actions={actions} />, { columns: 80, rows: 24 });
    expect(frameRows(r.lastFrame()).length).toBeLessThan(24);
    expect(r.lastFrame()).toMatch(/1 cell = \d+ calls/);
    expect(r.lastFrame()).toContain('Ctrl-C asks before aborting');
  });

  it('warns about the gap from 1 s and becomes prominent near the 3-second limit', async () => {
    const store = downloadStore({ inFlightMs: null, gapSinceReturnMs: 400 });
    const { actions } = recordingActions();
    const r = await renderInk(<App store={store} actions={actions} />);
    expect(r.lastFrame()).toContain('400 ms of the 3 s limit');
    expect(r.lastFrame()).not.toContain('⚠ Gap');
    emit(store, { event: 'progress', ...snapshot({ inFlightMs: null, gapSinceReturnMs: 1400 }) });
    await r.waitFor('⚠ Gap since the last return');
    expect(r.lastFrame()).not.toContain('NEAR THE LIMIT');
    emit(store, { event: 'progress', ...snapshot({ inFlightMs: null, gapSinceReturnMs: 2600 }) });
    const frame = await r.waitFor('NEAR THE LIMIT');
    expect(frame).toContain('✖ Gap since the last return');
    expect(frame).toContain('may abandon the sequence');
  });

  it('explains a long-busy call instead of alarming', async () => {
    const store = downloadStore({ inFlightMs: 12_000 });
    const { actions } = recordingActions();
    const r = await renderInk(<App store={store} actions={actions} />);
    expect(r.lastFrame()).toContain('in the hypervisor for 12.0 s');
    expect(r.lastFrame()).toContain('Long-busy');
    expect(r.lastFrame()).toContain('cannot be interrupted');
  });

  it('says the download is done during validation, and what Ctrl-C does then', async () => {
    const store = storeAt('download');
    emit(store, { event: 'progress', ...snapshot({ call: 256, inFlightMs: null }) });
    enter(store, 'validate');
    emit(store, { event: 'progress', ...snapshot({ phase: 'validate', call: 10 }) });
    const { actions } = recordingActions();
    const r = await renderInk(<App store={store} actions={actions} />);
    expect(r.lastFrame()).toContain('Download complete: 256 calls');
    expect(r.lastFrame()).toContain('Validate');
    expect(r.lastFrame()).toContain('the image is written but not validated');
  });
});

describe('the abort confirmation', () => {
  it('opens on Ctrl-C and spells out the consequence; n keeps going', async () => {
    const store = downloadStore();
    const { actions, calls } = controllerLike(store);
    const r = await renderInk(<App store={store} actions={actions} />);
    await r.press(KEY.ctrlC);
    expect(calls).toEqual([['interrupt']]);
    const frame = await r.waitFor('Abort the download?');
    const words = unwrapped(frame);
    expect(words).toContain("The first download call already erased the adapter's image.");
    expect(words).toContain('which then has no valid image until a complete flash succeeds');
    expect(words).toContain('stops after the call in flight returns');
    expect(words).toContain('y/N y or Ctrl-C again aborts');
    expect(frameRows(frame).length).toBeLessThan(24);
    await r.press('n');
    expect(calls.at(-1)).toEqual(['dismissInterrupt']);
    await r.waitFor('Chunk map');
  });

  it('treats Enter and Esc as keep going, and q never answers the question', async () => {
    const store = downloadStore();
    const { actions, calls } = controllerLike(store);
    const r = await renderInk(<App store={store} actions={actions} />);
    await r.press(KEY.ctrlC);
    await r.waitFor('Abort the download?');
    await r.press('q');
    expect(calls).toEqual([['interrupt']]);
    await r.press(KEY.enter);
    expect(calls.at(-1)).toEqual(['dismissInterrupt']);
    await r.press(KEY.ctrlC);
    await r.waitFor('Abort the download?');
    await r.press(KEY.escape);
    expect(calls.at(-1)).toEqual(['dismissInterrupt']);
    expect(calls.some(([name]) => name === 'confirmInterrupt')).toBe(false);
  });

  it('says during validation that the image is written but not validated', async () => {
    const store = storeAt('validate');
    emit(store, { event: 'progress', ...snapshot({ phase: 'validate', call: 3 }) });
    store.setState({ interruptPrompt: true });
    const { actions } = recordingActions();
    const r = await renderInk(<App store={store} actions={actions} />);
    expect(unwrapped(r.lastFrame())).toContain('Abort the validate?');
    expect(unwrapped(r.lastFrame())).toContain('The image is written but not validated.');
  });

  it('confirms only on y', async () => {
    const store = downloadStore();
    const { actions, calls } = controllerLike(store);
    const r = await renderInk(<App store={store} actions={actions} />);
    await r.press(KEY.ctrlC);
    await r.waitFor('Abort the download?');
    await r.press('y');
    expect(calls).toEqual([['interrupt'], ['confirmInterrupt']]);
  });

  it('sends Ctrl-Z to suspend (the engine refuses it with a notice)', async () => {
    const store = downloadStore();
    const { actions, calls } = recordingActions({
      suspend: () => store.setState({ notice: 'Ctrl-Z is refused now.' }),
    });
    const r = await renderInk(<App store={store} actions={actions} />);
    await r.press(KEY.ctrlZ);
    expect(calls).toEqual([['suspend']]);
    await r.waitFor('Ctrl-Z is refused now.');
  });
});

describe('read-only observer', () => {
  it('renders the same screen, acts on no key, and Ctrl-C only leaves', async () => {
    const store = createFlashStore({ observer: true });
    emit(store, {
      event: 'start',
      schema: 1,
      tool: { name: 'cxl-flasher', version: '0.1.0' },
      command: 'flash',
      simulated: true,
      pid: 4711,
    });
    enter(store, 'download');
    emit(store, { event: 'progress', ...snapshot() });
    const { actions, calls } = recordingActions();
    const r = await renderInk(<App store={store} actions={actions} />);
    expect(r.lastFrame()).toContain('READ-ONLY VIEW');
    expect(r.lastFrame()).toContain('SIMULATED ADAPTER');
    expect(r.lastFrame()).toContain('Read-only view: Ctrl-C, q or Esc leaves it');
    for (const key of ['y', 'n', KEY.enter, KEY.up, KEY.ctrlZ]) await r.press(key);
    expect(calls).toEqual([]);
    await r.press(KEY.ctrlC);
    expect(calls).toEqual([['exit']]);
  });

  it('waits without input while the other process is still choosing', async () => {
    const store = storeAt('selectAdapter', { observer: true });
    const { actions, calls } = recordingActions();
    const r = await renderInk(<App store={store} actions={actions} />);
    expect(r.lastFrame()).toContain('The other process is at "Choose the adapter"');
    await r.press(KEY.enter);
    await r.press('q');
    expect(calls).toEqual([['exit']]);
  });
});

describe('without Unicode', () => {
  it('draws the chunk map and the bars in ASCII, readable without colour', async () => {
    const store = downloadStore({ call: 3, calls: 8, chunks: 'dddxpppp', inFlightMs: null });
    const { actions } = recordingActions();
    const r = await renderInk(<App store={store} actions={actions} glyphs={ASCII_GLYPHS} />);
    const frame = r.lastFrame();
    expect(frame).toContain('###X....');
    expect(frame).toContain('# done > in flight . pending X failed');
    expect(frame).toMatch(/^[\x20-\x7e\n]*$/);
  });
});

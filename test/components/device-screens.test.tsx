import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/app.js';
import { BUSY_CARD, emit, enter, FREE_CARD, recordingActions, storeAt } from './fixtures.js';
import { KEY, renderInk, unmountAll, unwrapped } from './render.js';

afterEach(unmountAll);

describe('starting', () => {
  it('says what it is doing; q quits', async () => {
    const store = storeAt('starting');
    const { actions, calls } = recordingActions();
    const r = await renderInk(<App store={store} actions={actions} />);
    expect(r.lastFrame()).toContain('Reading the journal and looking for adapters');
    await r.press('q');
    expect(calls).toEqual([['interrupt']]);
  });
});

describe('opening the card device', () => {
  it('explains that the open waits for other holders, and names them', async () => {
    const store = storeAt('review');
    emit(store, {
      event: 'adapter',
      card: { ...FREE_CARD, holders: [{ pid: 77, command: 'capi-reset', user: 'root' }] },
    });
    enter(store, 'opening');
    const { actions, calls } = recordingActions();
    const r = await renderInk(<App store={store} actions={actions} />);
    const frame = unwrapped(r.lastFrame());
    expect(frame).toContain('Opening /dev/cxl/card0 (U78C9.001.WZS0ABC-P1-C5)');
    expect(frame).toContain('this open waits for it to close');
    expect(frame).toContain('held by pid 77 capi-reset (root)');
    expect(frame).toContain('Ctrl-C stops opening the card device');
    await r.press(KEY.escape);
    expect(calls).toEqual([]);
    await r.press(KEY.ctrlC);
    expect(calls).toEqual([['interrupt']]);
  });
});

describe('reload', () => {
  it('shows the stage, what the kernel is doing, elapsed time against the deadline', async () => {
    const store = storeAt('reload');
    emit(store, {
      event: 'reload',
      state: 'waiting-for-return',
      elapsedMs: 42_000,
      deadlineMs: 300_000,
      message:
        'Waiting for the card at U78C9.001.WZS0ABC-P1-C5 to come back (its number may change).',
    });
    const { actions, calls } = recordingActions({
      interrupt: () =>
        store.setState({ notice: 'Ctrl-C deferred: the kernel is reloading the adapter.' }),
    });
    const r = await renderInk(<App store={store} actions={actions} />);
    const frame = unwrapped(r.lastFrame());
    expect(frame).toContain('3 of 4: waiting for the card to come back');
    expect(frame).toContain('its number may change');
    expect(frame).toContain('0:42 of the 5:00 deadline');
    expect(frame).toContain('Ctrl-C is deferred');
    await r.press(KEY.ctrlC);
    expect(calls).toEqual([['interrupt']]);
    await r.waitFor('Ctrl-C deferred: the kernel is reloading');
  });
});

describe('root keys', () => {
  it('sends Ctrl-C to interrupt on every screen before the device, and q too', async () => {
    for (const phase of ['selectAdapter', 'review', 'recovery'] as const) {
      const { actions, calls } = recordingActions();
      const r = await renderInk(<App store={storeAt(phase)} actions={actions} />);
      await r.press(KEY.ctrlC);
      await r.press('q');
      expect(calls).toEqual([['interrupt'], ['interrupt']]);
      r.unmount();
    }
  });

  it('marks a busy card in the list even without colour', async () => {
    const store = storeAt('selectAdapter');
    store.setState({ cards: [BUSY_CARD] });
    const { actions } = recordingActions();
    const r = await renderInk(<App store={store} actions={actions} />);
    expect(r.lastFrame()).toContain('[IN USE: 1 process]');
    expect(r.lastFrame()).toContain('⚠ afu1.0');
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/app.js';
import { recordingActions, storeAt } from './fixtures.js';
import { frameRows, KEY, renderInk, unmountAll } from './render.js';

afterEach(unmountAll);

async function picker() {
  const store = storeAt('selectAdapter');
  const rec = recordingActions();
  const r = await renderInk(<App store={store} actions={rec.actions} />);
  return { store, r, calls: rec.calls };
}

describe('adapter picker', () => {
  it('lists every card with location code, IDs, PSL, CAIA, AFU users and last flash', async () => {
    const { r } = await picker();
    const frame = r.lastFrame();
    expect(frame).toContain('card0  U78C9.001.WZS0ABC-P1-C5');
    expect(frame).toContain('card1  U78C9.001.WZS0ABC-P1-C6  [IN USE: 1 process]');
    expect(frame).toContain('vendor 0x1014 device 0x0477');
    expect(frame).toContain('PSL revision 18');
    expect(frame).toContain('CAIA');
    expect(frame).toContain('afu1.0 (dedicated): in use by pid 4242 hdl_app (alice)');
    expect(frame).toContain('Last flash: 2026-11-20 14:02 UTC, success');
  });

  it('picks a free card with Enter', async () => {
    const { r, calls } = await picker();
    await r.press(KEY.enter);
    expect(calls).toEqual([['selectAdapter', 'card0']]);
  });

  it('asks for an explicit override before a busy card, and n picks nothing', async () => {
    const { r, calls } = await picker();
    await r.press(KEY.down);
    await r.press(KEY.enter);
    const frame = await r.waitFor('is in use');
    expect(frame).toContain('afu1.0: pid 4242 hdl_app (alice)');
    expect(frame).toContain('Flash card1 anyway? y/N');
    expect(frameRows(frame).every((row) => row.length <= 80)).toBe(true);
    expect(frameRows(frame).length).toBeLessThan(24);
    expect(calls).toEqual([]);
    await r.press('n');
    await r.waitUntil((frame) => !frame.includes('anyway?'));
    expect(calls).toEqual([]);
  });

  it('overrides with y, and asks again after a decline', async () => {
    const { r, calls } = await picker();
    await r.press(KEY.down);
    await r.press(KEY.enter);
    await r.waitFor('anyway?');
    await r.press(KEY.escape);
    expect(calls).toEqual([]);
    await r.waitUntil((frame) => !frame.includes('anyway?'));
    // the list was rebuilt: focus is back on the first card
    await r.press(KEY.down);
    await r.press(KEY.enter);
    await r.waitFor('anyway?');
    await r.press('y');
    expect(calls).toEqual([['selectAdapter', 'card1', { override: true }]]);
  });

  it('goes back with Esc and quits with q', async () => {
    const { r, calls } = await picker();
    await r.press(KEY.escape);
    await r.press('q');
    expect(calls).toEqual([['back'], ['interrupt']]);
  });

  it('says so when no card is visible', async () => {
    const store = storeAt('selectAdapter');
    store.setState({ cards: [] });
    const { actions } = recordingActions();
    const r = await renderInk(<App store={store} actions={actions} />);
    expect(r.lastFrame()).toContain('No CAPI card is visible');
  });
});

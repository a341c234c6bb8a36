import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/app.js';
import { emit, IMAGE_EVENT, PREFLIGHT, recordingActions, storeAt } from './fixtures.js';
import { KEY, renderInk, unmountAll, unwrapped } from './render.js';

afterEach(unmountAll);

async function review(rows = 24) {
  const store = storeAt('review');
  const rec = recordingActions();
  const r = await renderInk(<App store={store} actions={rec.actions} />, { rows });
  return { store, r, calls: rec.calls };
}

describe('review and confirm', () => {
  it('shows size, SHA-256, format, chunk plan and compatibility in words', async () => {
    const { r } = await review(60);
    const frame = r.lastFrame();
    expect(frame).toContain('256 MiB (268,435,456 bytes)');
    expect(frame).toContain('9f2b8c1d4e5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e');
    expect(frame).toContain('Xilinx bitstream');
    expect(frame).toContain('257 download calls, then 257 validate calls');
    expect(frame).toContain('1,048,448 bytes');
    expect(unwrapped(frame)).toContain('not compared: the image carries no IDs');
    expect(frame).not.toMatch(/not compared: not compared/i); // the verdict is said once
    expect(frame).toContain('Header the kernel will build');
    expect(frame).toContain("the adapter's device-tree ID");
  });

  it('says what the card runs now and what it will run (the plan), before the question', async () => {
    const { store, r } = await review(60);
    emit(store, {
      event: 'plan',
      card: { name: 'card0', locationCode: 'U78CB.001.WZS0001-P1-C7' },
      current: {
        pslRevision: 12,
        image: {
          path: '/var/tmp/images/capi-old.bin',
          size: 67_108_864,
          sha256: 'ab'.repeat(32),
          time: '2026-11-20T10:00:00.000Z',
          journalId: 'j-0',
        },
        certain: true,
        note: null,
      },
      new: {
        path: '/var/tmp/images/capi-new.bin',
        size: 268_435_456,
        sha256: 'cd'.repeat(32),
        format: 'Xilinx bitstream',
      },
      sameImage: false,
      steps: ['download', 'validate', 'reload'],
    });
    const frame = unwrapped(await r.waitFor('Current and new'));
    expect(frame).toContain('Current and new');
    expect(frame).toMatch(
      /Runs now\s+PSL revision 12; last flashed with \/var\/tmp\/images\/capi-old\.bin \(64\.0 MiB\)/,
    );
    expect(frame).toMatch(/Will run\s+\/var\/tmp\/images\/capi-new\.bin \(256 MiB\)/);
  });

  it('lists the preflight: passes on one line, each warning with its fix', async () => {
    const { r } = await review(60);
    const frame = r.lastFrame();
    expect(frame).toContain('2 passed, 1 warning, 0 failed');
    expect(frame).toContain('Passed: cxl driver, PowerVM guest');
    expect(frame).toContain('WARN Journal: the last attempt on card0 (j-1) never finished');
    expect(frame).toContain('fix: Flashing a complete image again is the usual fix.');
  });

  it('names the card by location code and says what Ctrl-C will do', async () => {
    const { r } = await review();
    const frame = unwrapped(r.lastFrame());
    expect(frame).toContain('Flash capi-new.bin onto U78C9.001.WZS0ABC-P1-C5 (card0)? y/N');
    expect(frame).toContain(
      'From then on Ctrl-C asks before aborting, and an abort leaves the adapter without a valid image',
    );
    expect(frame).toContain('Ctrl-C quits; the adapter has not been touched.');
  });

  it('flashes only on y; Enter and n go back', async () => {
    const { r, calls } = await review();
    await r.press(KEY.enter);
    await r.press('n');
    expect(calls).toEqual([['back'], ['back']]);
    await r.press('y');
    expect(calls.at(-1)).toEqual(['confirmFlash']);
  });

  it('scrolls the details at 80x24 and keeps the question in view', async () => {
    const { r } = await review();
    expect(r.lastFrame()).toMatch(/more lines? below/);
    expect(r.lastFrame()).not.toContain('2 passed, 1 warning');
    for (let i = 0; i < 4; i++) await r.press(KEY.pageDown);
    const frame = await r.waitFor('2 passed, 1 warning');
    expect(frame).toContain('? y/N');
  });

  it('refuses to confirm while a check fails', async () => {
    const store = storeAt('review');
    emit(store, {
      event: 'preflight',
      checks: [
        ...PREFLIGHT,
        {
          id: 'afu-users',
          label: 'AFU users',
          status: 'fail',
          message: 'afu0.0 is open by pid 4242 hdl_app (alice)',
          fix: 'Stop hdl_app, then run again.',
        },
      ],
    });
    const { actions, calls } = recordingActions();
    const r = await renderInk(<App store={store} actions={actions} />);
    expect(r.lastFrame()).toContain('Flashing is refused until every failed check passes');
    expect(r.lastFrame()).not.toContain('y/N');
    await r.press('y');
    expect(calls).toEqual([]);
  });

  it('still renders when the image report is missing or malformed', async () => {
    const store = storeAt('review');
    emit(store, { ...IMAGE_EVENT, report: 'not an object' } as typeof IMAGE_EVENT);
    const { actions } = recordingActions();
    const r = await renderInk(<App store={store} actions={actions} />, { rows: 60 });
    expect(r.lastFrame()).toContain('SHA-256');
    expect(r.lastFrame()).toContain('the last 128 bytes');
    expect(r.lastFrame()).not.toContain('Compatibility');
  });
});

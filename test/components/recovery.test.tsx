import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/app.js';
import { promptRecovery } from '../../src/components/render-app.js';
import { UNICODE_GLYPHS } from '../../src/components/glyphs.js';
import {
  flashInProgressVerdict,
  LOC_C6,
  LOC_C7,
  noValidImageVerdict,
  recordingActions,
  severalCardsVerdict,
  storeAt,
} from './fixtures.js';
import {
  frameRows,
  KEY,
  renderInk,
  TestStdin,
  TestStdout,
  unmountAll,
  unwrapped,
} from './render.js';

afterEach(unmountAll);

describe('recovery screen in the wizard', () => {
  it('says what happened, the adapter now, the safe step with its command, and the do-not list', async () => {
    const store = storeAt('recovery', { recovery: noValidImageVerdict() });
    const { actions } = recordingActions();
    const r = await renderInk(<App store={store} actions={actions} />, { rows: 60 });
    const frame = unwrapped(r.lastFrame());
    expect(frame).toContain('What happened');
    expect(frame).toContain('never finished');
    expect(frame).toContain('download call 37 of 257');
    expect(frame).toContain('has no valid image until a complete download and validate succeed');
    expect(frame).toContain(
      `cxl-flasher flash /var/tmp/images/capi-new.bin --card U78C9.001.WZS0ABC-P1-C5 --sha256 ${'ab'.repeat(32)}`,
    );
    expect(frame).toContain('Do not reboot the partition');
    expect(frame).toContain('❯ Re-flash /var/tmp/images/capi-new.bin');
  });

  it('keeps the choices in view at 80x24 and chooses the re-flash with Enter', async () => {
    const store = storeAt('recovery', { recovery: noValidImageVerdict() });
    const { actions, calls } = recordingActions();
    const r = await renderInk(<App store={store} actions={actions} />);
    expect(r.lastFrame()).toContain('Continue to the adapter picker');
    expect(r.lastFrame()).toMatch(/more lines? below/);
    await r.press(KEY.enter);
    expect(calls).toEqual([['chooseRecovery', 'reflash']]);
  });

  it('continues to the picker with Down, Enter', async () => {
    const store = storeAt('recovery', { recovery: noValidImageVerdict() });
    const { actions, calls } = recordingActions();
    const r = await renderInk(<App store={store} actions={actions} />);
    await r.press(KEY.down);
    await r.press(KEY.enter);
    expect(calls).toEqual([['chooseRecovery', 'continue']]);
  });

  it('comes first when a verdict needs attention, even before the engine leaves starting', async () => {
    const store = storeAt('starting', { recovery: noValidImageVerdict() });
    const { actions, calls } = recordingActions();
    const r = await renderInk(<App store={store} actions={actions} />);
    expect(r.lastFrame()).toContain('What happened');
    await r.press(KEY.enter);
    expect(calls).toEqual([['chooseRecovery', 'reflash']]);
    store.setState({ recovery: { ...noValidImageVerdict(), needsAttention: false } });
    await r.waitFor('Reading the journal');
  });

  it('offers only quit while another flash runs, and shows how to watch it', async () => {
    const store = storeAt('recovery', { recovery: flashInProgressVerdict() });
    const { actions } = recordingActions();
    const r = await renderInk(<App store={store} actions={actions} />, { rows: 40 });
    expect(r.lastFrame()).toContain('cxl-flasher attach --card card0');
    expect(r.lastFrame()).not.toContain('Re-flash');
    expect(r.lastFrame()).not.toContain('Continue to the adapter picker');
  });
});

describe('other cards that need attention', () => {
  /** what the terminal shows: no row wider than 80, the whole frame under 24 rows */
  function expectFits(frame: string): void {
    const rows = frameRows(frame);
    expect(rows.length).toBeLessThan(24);
    expect(rows.every((row) => row.length <= 80)).toBe(true);
  }

  it('names each with its location code, verdict and what recover --card would do, at 80x24', async () => {
    const store = storeAt('recovery', { recovery: severalCardsVerdict() });
    const { actions, calls } = recordingActions();
    const r = await renderInk(<App store={store} actions={actions} />);
    const frame = r.lastFrame();
    expectFits(frame);
    const text = unwrapped(frame);
    // the most urgent card's verdict is still the one the screen is about
    expect(text).toContain('What happened');
    expect(text).toContain('j-7');
    expect(text).toContain('Another card needs attention too');
    expect(text).toContain(
      `card1 ${LOC_C6}: no valid image; cxl-flasher recover --card ${LOC_C6} would offer to re-flash /var/tmp/images/other.bin`,
    );
    expect(text).toMatch(/more lines? below/);
    expect(text).toContain('Continue to the adapter picker');
    // and the choices still act on that card's attempt
    await r.press(KEY.enter);
    expect(calls).toEqual([['chooseRecovery', 'reflash']]);
  });

  it('shows as many as fit and says how many more, keeping the details and the choices', async () => {
    const store = storeAt('recovery', { recovery: severalCardsVerdict(true) });
    const { actions } = recordingActions();
    const r = await renderInk(<App store={store} actions={actions} />);
    const frame = r.lastFrame();
    expectFits(frame);
    const text = unwrapped(frame);
    expect(text).toContain('4 other cards need attention too');
    expect(text).toContain(`card1 ${LOC_C6}: no valid image`);
    expect(text).toMatch(/… and [1-3] more: cxl-flasher recover --json lists them all/);
    expect(text).toContain('What happened');
    expect(text).toContain('Quit and change nothing');
    // a taller terminal shows every one of them
    const tall = await renderInk(
      <App
        store={storeAt('recovery', { recovery: severalCardsVerdict(true) })}
        actions={actions}
      />,
      { rows: 60 },
    );
    const all = unwrapped(tall.lastFrame());
    expect(all).toContain(
      `card2 ${LOC_C7}: not visible; cxl-flasher recover --card ${LOC_C7} would say to wait for the card to come back`,
    );
    expect(all).toContain('card3 U78C9.001.WZS0ABC-P1-C8: new image not confirmed');
    expect(all).toContain('card4 U78C9.001.WZS0ABC-P1-C9: new image not confirmed');
    expect(all).not.toContain('more: cxl-flasher recover --json');
  });

  it('says nothing of other cards when none needs attention', async () => {
    const store = storeAt('recovery', { recovery: noValidImageVerdict() });
    const { actions } = recordingActions();
    const r = await renderInk(<App store={store} actions={actions} />, { rows: 60 });
    expect(r.lastFrame()).not.toContain('need attention too');
    expect(r.lastFrame()).not.toContain('needs attention too');
  });
});

describe('promptRecovery (the recover command)', () => {
  function streams() {
    const stdout = new TestStdout(80, 24);
    const stdin = new TestStdin();
    return {
      stdout,
      stdin,
      options: {
        stdout: stdout as unknown as NodeJS.WriteStream,
        stdin: stdin as unknown as NodeJS.ReadStream,
        stderr: new TestStdout() as unknown as NodeJS.WriteStream,
        glyphs: UNICODE_GLYPHS,
      },
    };
  }
  /** a real render writes at most every 100 ms (maxFps 10) */
  const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 150));

  it('resolves with the chosen step', async () => {
    const { stdout, stdin, options } = streams();
    const choice = promptRecovery(noValidImageVerdict(), options);
    await settle();
    stdin.write(KEY.down);
    await settle();
    stdin.write(KEY.enter);
    await expect(choice).resolves.toBe('continue');
    // under CI=true Ink writes the last frame only when it exits, so look after the exit
    expect(stdout.text()).toContain('The one safe next step');
  });

  it('shows the other cards that need attention too', async () => {
    const { stdout, stdin, options } = streams();
    const choice = promptRecovery(severalCardsVerdict(), options);
    await settle();
    stdin.write('q');
    await expect(choice).resolves.toBe('quit');
    const text = unwrapped(stdout.text());
    expect(text).toContain('Another card needs attention too');
    expect(text).toContain(
      `card1 ${LOC_C6}: no valid image; cxl-flasher recover --card ${LOC_C6} would offer to re-flash`,
    );
  });

  it('resolves with quit on q', async () => {
    const { stdin, options } = streams();
    const choice = promptRecovery(noValidImageVerdict(), options);
    await settle();
    stdin.write('q');
    await expect(choice).resolves.toBe('quit');
  });
});

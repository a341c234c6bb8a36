import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/app.js';
import { promptRecovery } from '../../src/components/render-app.js';
import { UNICODE_GLYPHS } from '../../src/components/glyphs.js';
import {
  flashInProgressVerdict,
  noValidImageVerdict,
  recordingActions,
  storeAt,
} from './fixtures.js';
import { KEY, renderInk, TestStdin, TestStdout, unmountAll, unwrapped } from './render.js';

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

  it('resolves with quit on q', async () => {
    const { stdin, options } = streams();
    const choice = promptRecovery(noValidImageVerdict(), options);
    await settle();
    stdin.write('q');
    await expect(choice).resolves.toBe('quit');
  });
});

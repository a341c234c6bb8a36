import figures from 'figures';
import { afterEach, describe, expect, it } from 'vitest';
import { ASCII_GLYPHS, UNICODE_GLYPHS } from '../../src/components/glyphs.js';
import { INK_OPTIONS, renderObserver, renderWizard } from '../../src/components/render-app.js';
import { createFlashStore } from '../../src/store.js';
import { emit, enter, recordingActions, snapshot, storeAt } from './fixtures.js';
import { KEY, TestStdin, TestStdout } from './render.js';

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 150));

function streams() {
  const stdout = new TestStdout(80, 24);
  const stdin = new TestStdin();
  return {
    stdout,
    stdin,
    streams: {
      stdout: stdout as unknown as NodeJS.WriteStream,
      stdin: stdin as unknown as NodeJS.ReadStream,
      stderr: new TestStdout() as unknown as NodeJS.WriteStream,
    },
  };
}

describe('mounting', () => {
  const saved = { pointer: figures.pointer, tick: figures.tick };
  afterEach(() => Object.assign(figures, saved));

  it('uses the Ink options for SSH: Ctrl-C as a key, 10 fps, the full-frame renderer', () => {
    expect(INK_OPTIONS).toEqual({
      exitOnCtrlC: false,
      patchConsole: false,
      maxFps: 10,
      incrementalRendering: false,
    });
  });

  it('renderWizard: Ctrl-C and Ctrl-Z reach the actions, the process is not killed', async () => {
    const { stdin, streams: s } = streams();
    const { actions, calls } = recordingActions();
    const instance = renderWizard(storeAt('selectAdapter'), actions, {
      ...s,
      glyphs: UNICODE_GLYPHS,
    });
    await settle();
    stdin.write(KEY.ctrlC);
    await settle();
    stdin.write(KEY.ctrlZ);
    await settle();
    instance.unmount();
    expect(calls).toEqual([['interrupt'], ['suspend']]);
  });

  it('renderWizard with ASCII glyphs draws an ASCII pointer in lists', async () => {
    const { stdout, streams: s } = streams();
    const { actions } = recordingActions();
    const instance = renderWizard(storeAt('selectAdapter'), actions, {
      ...s,
      glyphs: ASCII_GLYPHS,
    });
    await settle();
    instance.unmount();
    const text = stdout.text();
    expect(text).toContain('> card0  U78C9.001.WZS0ABC-P1-C5');
    expect(text).not.toContain('❯');
  });

  it('renderObserver: read-only, and q leaves through onLeave', async () => {
    const { stdin, stdout, streams: s } = streams();
    const store = createFlashStore();
    enter(store, 'download');
    emit(store, { event: 'progress', ...snapshot() });
    let left = 0;
    const instance = renderObserver(store, {
      ...s,
      glyphs: UNICODE_GLYPHS,
      onLeave: () => left++,
    });
    expect(store.getState().observer).toBe(true);
    await settle();
    stdin.write('y');
    stdin.write(KEY.enter);
    await settle();
    expect(left).toBe(0);
    stdin.write('q');
    await settle();
    expect(left).toBe(1);
    instance.unmount();
    expect(stdout.text()).toContain('READ-ONLY VIEW');
  });

  it('renderObserver without onLeave unmounts on Ctrl-C', async () => {
    const { stdin, streams: s } = streams();
    const store = createFlashStore({ observer: true });
    enter(store, 'reload');
    const instance = renderObserver(store, { ...s, glyphs: UNICODE_GLYPHS });
    await settle();
    stdin.write(KEY.ctrlC);
    await expect(instance.waitUntilExit()).resolves.toBeUndefined();
  });
});

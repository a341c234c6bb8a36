import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/app.js';
import { emit, enter, recordingActions, storeAt } from './fixtures.js';
import { homedir } from 'node:os';
import { frameRows, KEY, renderInk, unmountAll } from './render.js';

afterEach(unmountAll);

const FOUND = ['/var/tmp/images/capi-new.bin', '/var/tmp/images/capi-old.bin', '/srv/quiet.bin'];

async function imageScreen() {
  const store = storeAt('selectImage', { imageCandidates: FOUND });
  const rec = recordingActions();
  const r = await renderInk(<App store={store} actions={rec.actions} />);
  return { store, r, calls: rec.calls };
}

describe('image path entry', () => {
  it('names the card by location code and lists the images found', async () => {
    const { r } = await imageScreen();
    expect(r.lastFrame()).toContain('card0 at U78C9.001.WZS0ABC-P1-C5');
    expect(r.lastFrame()).toContain('Image files found: 3');
    expect(r.lastFrame()).toContain('/srv/quiet.bin');
  });

  it('submits a typed path, and q is part of the path, not quit', async () => {
    const { r, calls } = await imageScreen();
    for (const ch of '/srv/quiet.bin') await r.press(ch);
    await r.press(KEY.enter);
    expect(calls).toEqual([['chooseImage', '/srv/quiet.bin']]);
  });

  it('submits a pasted path that ends in a newline (it arrives as text, not as Enter)', async () => {
    const { r, calls } = await imageScreen();
    await r.press('/srv/pasted.bin\r');
    expect(calls).toEqual([['chooseImage', '/srv/pasted.bin']]);
  });

  it('completes from the candidates and shows the whole completion in words', async () => {
    const { r, calls } = await imageScreen();
    for (const ch of '/var/tmp/images/capi-o') await r.press(ch);
    const frame = await r.waitFor('Enter takes the completion: /var/tmp/images/capi-old.bin');
    expect(frame).toContain('starting with what you typed: 1');
    await r.press(KEY.enter);
    expect(calls).toEqual([['chooseImage', '/var/tmp/images/capi-old.bin']]);
  });

  it('ignores an empty Enter and goes back with Esc', async () => {
    const { r, calls } = await imageScreen();
    await r.press(KEY.enter);
    await r.press(KEY.escape);
    expect(calls).toEqual([['back']]);
  });
});

describe('loading the image', () => {
  it('shows the hashing progress', async () => {
    const store = storeAt('selectImage');
    enter(store, 'loadingImage');
    emit(store, { event: 'hashing', bytes: 100 * 1_048_576, totalBytes: 256 * 1_048_576 });
    const { actions } = recordingActions();
    const r = await renderInk(<App store={store} actions={actions} />);
    expect(r.lastFrame()).toContain('39% 100 MiB of 256 MiB');
    expect(r.lastFrame()).toContain('SHA-256');
  });
});

describe('choosing among the files found', () => {
  it('says how to pick, and Down/Up move a pointer that Enter takes', async () => {
    const { r, calls } = await imageScreen();
    expect(r.lastFrame()).toMatch(/Down\/Up|↓\/↑/);
    expect(r.lastFrame()).toContain('Tab');
    await r.press(KEY.down);
    await r.press(KEY.down);
    await r.press(KEY.up);
    await r.press(KEY.down);
    const frame = await r.waitFor(/❯ \/var\/tmp\/images\/capi-old\.bin/);
    expect(frame).not.toMatch(/❯ \/var\/tmp\/images\/capi-new\.bin/);
    await r.press(KEY.enter);
    expect(calls).toEqual([['chooseImage', '/var/tmp/images/capi-old.bin']]);
  });

  it('Tab completes to what the matching files share, then to the one chosen', async () => {
    const { r, calls } = await imageScreen();
    for (const ch of '/var') await r.press(ch);
    await r.press('\t');
    await r.waitFor(/\/var\/tmp\/images\/capi-/);
    await r.press('o');
    await r.press('\t');
    await r.press(KEY.enter);
    expect(calls).toEqual([['chooseImage', '/var/tmp/images/capi-old.bin']]);
  });

  it('Down after typing chooses among the files that match, and stays chosen', async () => {
    const { r, calls } = await imageScreen();
    for (const ch of '/var') await r.press(ch);
    await r.press(KEY.down);
    await r.press(KEY.down);
    await r.waitFor(/❯ \/var\/tmp\/images\/capi-old\.bin/);
    await new Promise((done) => setTimeout(done, 50));
    expect(r.lastFrame()).toMatch(/❯ \/var\/tmp\/images\/capi-old\.bin/);
    await r.press(KEY.enter);
    expect(calls).toEqual([['chooseImage', '/var/tmp/images/capi-old.bin']]);
  });

  it('Tab on a file chosen with Down puts it in the field to edit', async () => {
    const { r, calls } = await imageScreen();
    await r.press(KEY.down);
    await r.press(KEY.down);
    await r.press(KEY.down);
    await r.press('\t');
    await r.press('x');
    await r.press(KEY.enter);
    expect(calls).toEqual([['chooseImage', '/srv/quiet.binx']]);
  });
});

describe('pasted and typed paths', () => {
  for (const [typed, meant] of [
    ["'/srv/with space.bin'", '/srv/with space.bin'],
    ['"/srv/quoted.bin"', '/srv/quoted.bin'],
    ['  /srv/padded.bin  ', '/srv/padded.bin'],
  ] as const)
    it(`takes ${typed} as ${meant}`, async () => {
      const { r, calls } = await imageScreen();
      await r.press(`${typed}\r`);
      expect(calls).toEqual([['chooseImage', meant]]);
    });

  it('takes a path whose Enter arrives before the field has drawn it (a fast paste)', async () => {
    const { r, calls } = await imageScreen();
    r.stdin.write("'/srv/fast paste.bin'");
    r.stdin.write(KEY.enter);
    await r.press('');
    await new Promise((done) => setTimeout(done, 50));
    expect(calls).toEqual([['chooseImage', '/srv/fast paste.bin']]);
  });

  it('expands ~ to the home folder', async () => {
    const { r, calls } = await imageScreen();
    await r.press('~/images/capi.bin\r');
    expect(calls).toEqual([['chooseImage', `${homedir()}/images/capi.bin`]]);
  });

  it('shows the error next to the field, not only in the footer', async () => {
    const store = storeAt('selectImage', { imageCandidates: FOUND });
    store.setState({ notice: '/srv/nope.bin does not exist. Check the path.' });
    const { actions } = recordingActions();
    const r = await renderInk(<App store={store} actions={actions} />);
    const rows = frameRows(r.lastFrame());
    const field = rows.findIndex((row) => /^ (❯|>) /.test(row));
    expect(rows[field + 1]).toContain('/srv/nope.bin does not exist');
    expect(rows.filter((row) => row.includes('does not exist'))).toHaveLength(1);
  });
});

/**
 * The wizard of the built CLI in tmux at 80x24, on the simulator: a complete flash and an
 * aborted one, with and without colour, and plain ASCII lines on TERM=dumb.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleImage } from '../helpers/engine.js';
import { startTmux, type TmuxSession } from '../helpers/tmux.js';

let dir: string;
let image: string;
const sessions: TmuxSession[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cxl-tmux-'));
  image = join(dir, 'image.bin');
  writeFileSync(image, sampleImage(8 * 1024 * 1024, 2));
});
afterEach(() => {
  for (const s of sessions.splice(0)) s.kill();
  rmSync(dir, { recursive: true, force: true });
});

const open = (scenario: string, env: Record<string, string> = {}): TmuxSession => {
  const s = startTmux([`--simulate=${scenario}`, '--state-dir', dir, 'flash', image], { env });
  sessions.push(s);
  return s;
};
// ESC [ ... 3x/9x/38; m: a foreground colour
const SGR_COLOUR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*(3[0-9]|9[0-7]|38;)`);
const rows = (screen: string): number => screen.replace(/\n+$/, '').split('\n').length;

describe('the wizard in a real terminal (tmux, 80x24)', () => {
  it('flashes to the end: review, confirm, transfer, reload, summary; exit 0', async () => {
    const s = open('speed@20');
    const review = await s.waitFor(/Review and confirm/);
    expect(review).toMatch(/SIMULATED ADAPTER/);
    expect(review).toMatch(/Flash image\.bin onto U78CB\.001\.WZS0001-P1-C7 \(card0\)\? y\/N/);
    expect(review).toMatch(/Ctrl-C quits; the adapter has not been touched\./);
    expect(SGR_COLOUR.test(s.capture(true))).toBe(true);
    s.keys('y');
    const transfer = await s.waitFor(/(Download|Validate) .*\d+%/);
    expect(transfer).toMatch(/Ctrl-C asks before aborting/);
    expect(transfer).toMatch(/Largest gap between calls: \d+ ms \(limit 3 s\)/);
    const summary = await s.waitFor(/SUCCESS/);
    expect(summary).toMatch(/PSL revision 12 -> 13/);
    expect(summary).toMatch(/Journal id +\d{8}T\d{6}Z-[0-9a-f]{8}/);
    expect(rows(summary)).toBeLessThanOrEqual(24);
    s.keys('q');
    expect(await s.exitCode()).toBe(0);
  }, 60_000);

  it('aborts after the Ctrl-C confirmation: the consequence is spelled out; exit 130', async () => {
    const s = open('speed@2', { NO_COLOR: '1' });
    await s.waitFor(/Review and confirm/);
    s.keys('y');
    await s.waitFor(/call [1-9]\d* of 9 done/);
    s.keys('C-c');
    const prompt = await s.waitFor(/Abort the flash\?/);
    expect(prompt).toMatch(/erased the adapter's image|no valid image/);
    expect(SGR_COLOUR.test(s.capture(true))).toBe(false);
    s.keys('y');
    const summary = await s.waitFor(/ABORTED/);
    // the result says what is known: the erase happened; no valid image or the factory one
    expect(summary).toMatch(/had erased its image/);
    s.keys('q');
    expect(await s.exitCode()).toBe(130);
  }, 60_000);

  it('keeps going when the Ctrl-C question is answered no', async () => {
    const s = open('speed@10');
    await s.waitFor(/Review and confirm/);
    s.keys('y');
    await s.waitFor(/call [1-9]\d* of 9 done/);
    s.keys('C-c');
    await s.waitFor(/Abort the flash\?/);
    s.keys('n');
    await s.waitFor(/SUCCESS/, 30_000);
    s.keys('q');
    expect(await s.exitCode()).toBe(0);
  }, 60_000);

  it('prints lines on TERM=dumb (no screen to redraw), ASCII only and without colour', async () => {
    const s = startTmux(['--simulate=speed@20', '--state-dir', dir, 'flash', image, '--yes'], {
      env: { TERM: 'dumb', NO_COLOR: '1' },
    });
    sessions.push(s);
    expect(await s.exitCode(40_000)).toBe(0);
    const screen = s.capture();
    expect(screen).toMatch(/^validate 100% {2}call 9\/9 /m);
    expect(screen).toMatch(/^success \(exit 0\): Flashed and validated/m);
    expect(screen).not.toMatch(/Review and confirm|SIMULATED ADAPTER\n─/);
    expect(screen).toMatch(/^[\x20-\x7e\n]*$/);
    expect(SGR_COLOUR.test(s.capture(true))).toBe(false);
  }, 60_000);

  it('on TERM=dumb without --yes it says why it did not ask', async () => {
    const s = open('speed@20', { TERM: 'dumb', NO_COLOR: '1' });
    expect(await s.exitCode()).toBe(2);
    const text = s.capture().replace(/\s+/g, '');
    expect(text).toContain('TERM=dumbcannotredrawascreen');
    expect(text).toContain('runagainwith--yes');
  }, 60_000);
});

describe('no screen where there should be none', () => {
  it('a terminal with CI set gets plain lines and the confirmation refusal, not the wizard', async () => {
    const s = startTmux(['--simulate=speed@20', '--state-dir', dir, 'flash', image], {
      env: { CI: 'true' },
      keepCi: true,
    });
    sessions.push(s);
    expect(await s.exitCode()).toBe(2);
    const screen = s.capture();
    expect(screen).toMatch(/^preflight: \d+ of \d+ checks passed$/m);
    expect(screen).toMatch(/bad-input \(exit 2\): Flashing needs a confirmation/);
    // It says why it did not ask (CI, not a missing terminal) and that --yes confirms.
    const text = screen.replace(/\s+/g, '');
    expect(text).toContain('CIissetintheenvironment');
    expect(text).not.toContain('thereisnoterminal');
    expect(text).toContain('runagainwith--yes');
    expect(screen).not.toMatch(/Review and confirm/);
  }, 30_000);

  it('the wizard (no command) on TERM=dumb says it needs a terminal that can move the cursor', async () => {
    const s = startTmux(['--simulate=speed@20', '--state-dir', dir], { env: { TERM: 'dumb' } });
    sessions.push(s);
    expect(await s.exitCode()).toBe(2);
    expect(s.capture().replace(/\s+/g, ' ')).toContain('not TERM=dumb');
  }, 30_000);
});

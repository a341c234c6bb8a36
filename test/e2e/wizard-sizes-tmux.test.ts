/**
 * The wizard of the built CLI in tmux at the sizes and locales the screens must survive: 40x15,
 * below the minimum, a resize during the transfer, LANG=C. On the simulator.
 */
import { execFileSync } from 'node:child_process';
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
  dir = mkdtempSync(join(tmpdir(), 'cxl-tmux-sizes-'));
  image = join(dir, 'image.bin');
  writeFileSync(image, sampleImage(8 * 1024 * 1024, 2));
});
afterEach(() => {
  for (const s of sessions.splice(0)) s.kill();
  rmSync(dir, { recursive: true, force: true });
});

function open(
  scenario: string,
  size: { width: number; height: number },
  env: Record<string, string> = {},
): TmuxSession {
  const s = startTmux([`--simulate=${scenario}`, '--state-dir', dir, 'flash', image], {
    env,
    ...size,
  });
  sessions.push(s);
  return s;
}

function resize(s: TmuxSession, width: number, height: number): void {
  execFileSync('tmux', [
    '-L',
    s.socket,
    'resize-window',
    '-x',
    String(width),
    '-y',
    String(height),
  ]);
}

const lines = (screen: string): string[] => screen.replace(/\n+$/, '').split('\n');

describe('the wizard at the sizes it must survive (tmux)', () => {
  it('40x15: the question carries the verdict; y flashes', async () => {
    const s = open('speed@20', { width: 40, height: 15 });
    // the hint comes a frame after the question: the scroll area measures its content first
    const review = await s.waitFor(/more lines? below/, 30_000);
    expect(review).toMatch(/^ Preflight: 11 checks passed$/m);
    expect(review).toMatch(/\(card0\)\? y\/N$/m);
    for (const line of lines(review)) expect(line.length).toBeLessThanOrEqual(40);
    s.keys('y');
    await s.waitFor(/SUCCESS/, 40_000);
    s.keys('q');
    expect(await s.exitCode()).toBe(0);
  }, 90_000);

  it('below 40x12 it says so, and draws the review once enlarged', async () => {
    const s = open('speed@20', { width: 36, height: 10 });
    await s.waitFor(/Terminal too small/, 30_000);
    // wait for the review to be reached behind the notice, then press y: nothing may happen
    await new Promise((r) => setTimeout(r, 3000));
    s.keys('y');
    resize(s, 80, 24);
    const review = await s.waitFor(/Review and confirm/);
    expect(review).toMatch(/Preflight: 11 checks passed/);
    expect(review).toMatch(/\? y\/N/);
    // the y pressed while the screen was too small was not taken
    expect(review).not.toMatch(/Download|Opening/);
    s.keys('q');
    expect(await s.exitCode()).toBe(130);
  }, 60_000);

  it('a resize during the transfer redraws the bar with its label and percentage', async () => {
    const s = open('speed@1', { width: 80, height: 24 });
    await s.waitFor(/y\/N/, 30_000);
    s.keys('y');
    await s.waitFor(/^ Download [█░]+ +\d+% /m);
    resize(s, 40, 15);
    const narrow = await s.waitFor(/^ Download [█░]{10,} +\d+%$/m);
    for (const line of lines(narrow)) expect(line.length).toBeLessThanOrEqual(40);
    resize(s, 200, 50);
    const wide = await s.waitFor(/^ Download [█░]{60} +\d+% [\d.]+ (MiB|KiB|B) of 8\.0 MiB$/m);
    expect(wide).toMatch(/Chunk map/);
    s.keys('C-c');
    await s.waitFor(/Abort the flash\? y\/N/);
    s.keys('y');
    await s.waitFor(/ABORTED/, 30_000);
    s.keys('q');
    expect(await s.exitCode()).toBe(130);
  }, 90_000);

  it('LANG=C gets the ASCII glyph set', async () => {
    const s = open('speed@20', { width: 80, height: 24 }, { LANG: 'C', LC_ALL: 'C' });
    const review = await s.waitFor(/y\/N/, 30_000);
    expect(review).toMatch(/\[!\] {2}SIMULATED ADAPTER/);
    s.keys('y');
    const transfer = await s.waitFor(/Download .*\d+%|SUCCESS/);
    expect(transfer).toMatch(/^[\x20-\x7e\n]*$/);
    await s.waitFor(/SUCCESS/, 40_000);
    expect(s.capture()).toMatch(/^[\x20-\x7e\n]*$/);
    s.keys('q');
    expect(await s.exitCode()).toBe(0);
  }, 90_000);
});

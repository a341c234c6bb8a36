/**
 * In a real terminal (tmux): a folder whose file names carry an OSC "set the window title"
 * sequence, a colour and a newline. The wizard lists them as image candidates; the terminal's
 * title must stay as it was and the names must appear escaped. The first test shows the check
 * can fail: the same bytes printed raw do retitle the pane.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleImage } from '../helpers/engine.js';
import { startTmux, type TmuxSession } from '../helpers/tmux.js';

const TITLE = '\x1b]2;PWNED\x07';
const NAME = `evil${TITLE}\x1b[31m\nsuccess (exit 0): forged.bin`;

let dir: string;
const sessions: TmuxSession[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cxl-title-'));
  writeFileSync(join(dir, NAME), sampleImage(1024 * 1024, 3));
  writeFileSync(join(dir, 'good.bin'), sampleImage(1024 * 1024, 4));
});
afterEach(() => {
  for (const s of sessions.splice(0)) s.kill();
  rmSync(dir, { recursive: true, force: true });
});

describe('file names in the wizard (tmux)', () => {
  it('the check works: printed raw, the name retitles the pane', async () => {
    const socket = `cxl-title-${process.pid}`;
    const print = `${JSON.stringify(process.execPath)} -e 'process.stdout.write(require("fs").readdirSync(".").join(" "))'; sleep 30`;
    execFileSync('tmux', ['-L', socket, '-f', '/dev/null', 'new-session', '-d', '-c', dir, print]);
    try {
      const title = (): string =>
        execFileSync('tmux', ['-L', socket, 'display-message', '-p', '#{pane_title}'], {
          encoding: 'utf8',
        }).trim();
      const until = Date.now() + 5000;
      while (title() !== 'PWNED' && Date.now() < until)
        await new Promise((r) => setTimeout(r, 100));
      expect(title()).toBe('PWNED');
    } finally {
      spawnSync('tmux', ['-L', socket, 'kill-server']);
    }
  }, 30_000);

  it('the wizard lists them escaped and the title stays', async () => {
    const s = startTmux(['--simulate', '--state-dir', join(dir, 'state')], {
      cwd: dir,
      height: 30,
    });
    sessions.push(s);
    const screen = await s.waitFor(/Image files found: \d/);
    expect(screen).toContain('/evil\\e]2;PWNED\\a\\e[31m\\nsuccess (exit 0):');
    expect(screen).not.toMatch(/^success \(exit 0\): forged/m);
    expect(s.title()).not.toBe('PWNED');
    s.keys('C-c');
  }, 60_000);
});

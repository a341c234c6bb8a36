/**
 * What the README, the man page and --help promise, checked through the built CLI on the
 * simulator (issue 17, "the docs tell the truth"): the same answer to an unknown card from every
 * command, a `result` event for a bad `flash --json` argument, help that fits 80 columns and has
 * examples, and a doctor that does not send the user to itself.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { sampleImage } from '../helpers/engine.js';
import { startTmux, type TmuxSession } from '../helpers/tmux.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cxl-doc-truths-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sim = (...args: string[]) => runCli(['--simulate', '--state-dir', dir, ...args]);

describe('--card naming a card that does not exist', () => {
  for (const args of [['inspect', 'img.bin'], ['recover'], ['status'], ['status', '--json']]) {
    it(`${args.join(' ')} --card card5 is refused with 2, naming the cards that exist`, async () => {
      const r = await sim(...args, '--card', 'card5');
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/No such card "card5"; these exist: card0/);
    });
  }
});

describe('flash --json with a bad argument', () => {
  for (const args of [
    ['flash', '--json'],
    ['flash', 'img.bin', '--json', '--bogus'],
    ['flash', 'img.bin', '--bogus', '--json'],
  ]) {
    it(`${args.join(' ')}: exit 2 and a result event on stdout`, async () => {
      const r = await sim(...args);
      expect(r.code).toBe(2);
      const events = r.stdout
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as { event: string; exitCode?: number; outcome?: string });
      expect(events.at(-1)).toMatchObject({ event: 'result', exitCode: 2, outcome: 'bad-input' });
      expect(events.filter((e) => e.event === 'result')).toHaveLength(1);
    });
  }

  it('flash --help --json still prints only the help', async () => {
    const r = await sim('flash', '--help', '--json');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: cxl-flasher flash/);
  });
});

const COMMANDS = ['flash', 'list', 'status', 'inspect', 'history', 'recover', 'attach', 'doctor'];

describe('--help', () => {
  for (const args of [[], ...COMMANDS.map((c) => [c])]) {
    const name = ['cxl-flasher', ...args].join(' ');
    it(`${name} --help fits in 80 columns and shows examples`, async () => {
      const r = await runCli([...args, '--help']);
      expect(r.code).toBe(0);
      const wide = r.stdout.split('\n').filter((l) => l.length > 80);
      expect(wide).toEqual([]);
      expect(r.stdout).toMatch(/^Examples:\n {2}cxl-flasher\b/m);
    });
  }
});

describe.skipIf(existsSync('/sys/class/cxl'))('doctor on a machine without cxl cards', () => {
  it('does not tell the user to run doctor', async () => {
    const r = await runCli(['--state-dir', dir, 'doctor']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/No cxl cards found/);
    expect(r.stdout).not.toMatch(/cxl-flasher doctor/);
  });
});

describe('the man page SYNOPSIS', () => {
  const page = readFileSync('docs/cxl-flasher.1.md', 'utf8');
  const synopsis = /^## SYNOPSIS\n([\s\S]*?)^## /m.exec(page)?.[1] ?? '';

  for (const command of COMMANDS) {
    it(`lists every option of ${command} --help`, async () => {
      const help = (await runCli([command, '--help'])).stdout;
      const options = [...help.matchAll(/^ {2}(?:-\w, )?(--[\w-]+)/gm)]
        .map((m) => m[1])
        .filter((o) => o !== '--help');
      expect(options.length).toBeGreaterThan(0);
      const line = synopsis.split('\n').find((l) => l.startsWith(`\`cxl-flasher ${command}\``));
      expect(line, `no SYNOPSIS line for ${command}`).toBeDefined();
      for (const option of options) expect(line).toContain(`\`${option}\``);
    });
  }
});

describe('README, Development', () => {
  it('says every step `npm run build` takes', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
      scripts: Record<string, string>;
    };
    const steps = (pkg.scripts.build ?? '').split('&&').map((s) => s.trim());
    const row = readFileSync('README.md', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('| `npm run build` |'));
    expect(row).toBeDefined();
    for (const step of steps) {
      // `tsc -p ...` -> tsc; `node scripts/x.mjs` -> scripts/x.mjs
      const word = step.startsWith('node ') ? step.split(' ')[1] : step.split(' ')[0];
      expect(row, step).toContain(`\`${word}\``);
    }
  });
});

describe('inspect without --card (README, Inspecting an image)', () => {
  it('compares the only card when there is exactly one', async () => {
    const image = join(dir, 'only-card.bin');
    writeFileSync(image, sampleImage(2 * 1024 * 1024, 3));
    const r = await sim('inspect', image, '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { adapter: { selected: boolean; note: string } };
    expect(doc.adapter).toMatchObject({ selected: true, note: 'the only adapter, card0' });
    expect(readFileSync('README.md', 'utf8')).toMatch(
      /Without `--card` the only card is compared when there is\s+exactly one/,
    );
  });
});

describe('no card at all (README, Exit codes; man page, ENVIRONMENT)', () => {
  it('flash --yes is refused with 3', async () => {
    const image = join(dir, 'no-card.bin');
    writeFileSync(image, sampleImage(1024 * 1024, 3));
    const r = await runCli(['--simulate=no-cards', '--state-dir', dir, 'flash', image, '--yes']);
    expect(r.code).toBe(3);
  });

  const wizard = (env: Record<string, string>): TmuxSession =>
    startTmux(['--simulate=no-cards', '--state-dir', join(dir, 'wizard'), 'flash', 'x.bin'], {
      env,
    });
  // ESC [ ... 3x/9x/38; m: a foreground colour
  const SGR_COLOUR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*(3[0-9]|9[0-7]|38;)`);

  it('the wizard shows the empty adapter screen in colour when FORCE_COLOR=1 (on the linux console too); q exits 130', async () => {
    // TERM=dumb draws no screen at all (plain lines); the console draws in ASCII, in colour
    const s = wizard({ FORCE_COLOR: '1', TERM: 'linux' });
    try {
      await s.waitFor(/No CAPI card is visible/);
      expect(SGR_COLOUR.test(s.capture(true))).toBe(true);
      s.keys('q');
      expect(await s.exitCode()).toBe(130);
    } finally {
      s.kill();
    }
  });

  it('FORCE_COLOR=0 turns the colours off', async () => {
    const s = wizard({ FORCE_COLOR: '0' });
    try {
      await s.waitFor(/No CAPI card is visible/);
      expect(SGR_COLOUR.test(s.capture(true))).toBe(false);
    } finally {
      s.kill();
    }
  });

  it('the man page says so', () => {
    const page = readFileSync('docs/cxl-flasher.1.md', 'utf8');
    expect(page).toMatch(
      /\* `FORCE_COLOR`:\n\s+.*`0` turns them off; `1`, `2` or `3` turn them on/,
    );
  });
});

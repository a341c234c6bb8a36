/**
 * What the README, the man page and --help promise, checked through the built CLI on the
 * simulator (issue 17, "the docs tell the truth"): the same answer to an unknown card from every
 * command, a `result` event for a bad `flash --json` argument, help that fits 80 columns and has
 * examples, and a doctor that does not send the user to itself.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

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

/**
 * Two flashes started at the same moment on one simulator: the tree rebuild and the card lookup
 * are serialized, so one flashes and the other is refused naming it; and a flash started while
 * another's card is away in its reload is refused naming that flasher, not "no card".
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startCli, type CliProcess } from '../helpers/cli-process.js';
import { sampleImage } from '../helpers/engine.js';

let dir: string;
const children: CliProcess[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cxl-pairs-'));
  writeFileSync(join(dir, 'image.bin'), sampleImage(2 * 1024 * 1024, 3));
});
afterEach(() => {
  for (const c of children.splice(0)) c.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function flash(simulate: string): CliProcess {
  const child = startCli([
    `--simulate=${simulate}`,
    '--state-dir',
    dir,
    'flash',
    join(dir, 'image.bin'),
    '--yes',
    '--force', // each pair flashes the image the last pair left: not a same-image refusal
    '--json',
    '--reload-timeout',
    '20',
  ]);
  children.push(child);
  return child;
}

const WRONG_WORDS = /writable folder|not a PowerVM guest|No CAPI card|ENOTEMPTY|EEXIST/;

describe('simultaneous starts on one simulator', () => {
  it('pairs started at once: one flashes, the other is refused naming it, never a wrong fix', async () => {
    for (let pair = 0; pair < 6; pair++) {
      const a = flash('speed@8');
      const b = flash('speed@8');
      const ends = await Promise.all([a.exit(), b.exit()]);
      const results = [a, b].map((c) => c.events.find((e) => e.event === 'result'));
      const said = [a, b].map((c) => `${c.stdout()}${c.stderr()}`).join('\n');
      expect(said).not.toMatch(WRONG_WORDS);
      expect(ends.map((e) => e.code).sort()).toSatisfy(
        (codes: (number | null)[]) =>
          (codes[0] === 0 && codes[1] === 0) || (codes[0] === 0 && codes[1] === 3),
      );
      for (const r of results) {
        expect(r?.outcome).toMatch(/^(success|refused)$/);
        if (r?.outcome === 'refused') expect(String(r.message)).toMatch(/pid \d+/);
      }
    }
  }, 240_000);

  it('a flash started during another flash’s reload is refused naming the running flasher', async () => {
    // The simulated kernel removes the card as the close begins and probes it 3 s later.
    const first = flash('speed@1');
    await first.waitFor((e) => e.event === 'reload' && e.state === 'closing', 60_000);
    const second = await runCli([
      '--simulate=speed@2',
      '--state-dir',
      dir,
      'flash',
      join(dir, 'image.bin'),
      '--yes',
    ]);
    expect(second.code).toBe(3);
    const said = `${second.stdout}${second.stderr}`;
    expect(said).not.toMatch(/No CAPI card/);
    expect(said).toMatch(new RegExp(`pid ${first.child.pid}\\b.*phase reload`));
    expect((await first.exit()).code).toBe(0);
  }, 90_000);
});

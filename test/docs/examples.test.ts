/**
 * Every command example of the README, of every `--help` and of the man page runs against the
 * simulator (the built CLI, a fresh state directory per block, a `psl.bin` in the working
 * directory standing for the user's image) and ends with the exit code the documentation gives
 * it: a trailing `# exit N`, the table below for the few that say it in prose, else 0.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from '../helpers/cli.js';
import { sampleImage } from '../helpers/engine.js';
import {
  blockScript,
  exampleLines,
  helpExamples,
  manExamples,
  readmeBlocks,
  type ExampleBlock,
} from './examples.js';

/** Exit codes the documentation states in prose rather than beside the example. */
const STATED: Record<string, number> = {
  // README, Tour: the wizard "needs a terminal: without one ... it exits 2"
  'cxl-flasher': 2,
  // flash --help: "2 bad input or no --yes without a terminal"
  'cxl-flasher flash psl.bin': 2,
  // flash --help: the example injects a hardware error at download call 3: "1 download/validate failed"
  'cxl-flasher --simulate=download-fail@3:H_HARDWARE --state-dir /tmp/demo flash /tmp/demo/simulator/sample-64MiB.bin --yes': 1,
  // man page: "Rehearse a failure without hardware (exit 4)"
  'cxl-flasher --simulate=validate-mismatch,speed@50 --state-dir /tmp/demo flash /tmp/demo/simulator/sample-64MiB.bin --yes': 4,
};

const COMMANDS = ['flash', 'list', 'status', 'inspect', 'history', 'recover', 'attach', 'doctor'];
const haveJq = spawnSync('jq', ['--version']).status === 0;
// .ci/run installs jq (and sets CXL_REQUIRE_ANSIBLE=1): there its absence is a failure.
if (!haveJq && process.env.CXL_REQUIRE_ANSIBLE === '1') throw new Error('jq is required here');

function helpText(args: string[]): string {
  const r = spawnSync(process.execPath, [CLI, ...args, '--help'], { encoding: 'utf8' });
  return r.stdout;
}

function allBlocks(): ExampleBlock[] {
  const help = [[], ...COMMANDS.map((c) => [c])].map((args) => ({
    source: `cxl-flasher ${[...args, '--help'].join(' ')}`,
    lines: exampleLines(helpExamples(helpText(args))),
  }));
  const man = {
    source: 'docs/cxl-flasher.1.md EXAMPLES',
    lines: exampleLines(manExamples(readFileSync('docs/cxl-flasher.1.md', 'utf8'))),
  };
  return [...readmeBlocks(readFileSync('README.md', 'utf8')), ...help, man];
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cxl-examples-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('documented examples', () => {
  const blocks = allBlocks();

  it('are found in every place that shows them', () => {
    const sources = blocks.map((b) => b.source);
    expect(sources.filter((s) => s.startsWith('README.md')).length).toBeGreaterThanOrEqual(4);
    for (const block of blocks.filter((b) => !b.source.startsWith('README.md')))
      expect(block.lines.filter((l) => l.checked).length, block.source).toBeGreaterThan(0);
  });

  it.each(blocks.map((b, i) => [b.source, i] as const))(
    '%s: each command ends with its documented exit code',
    (_source, index) => {
      const block = blocks[index] as ExampleBlock;
      const work = join(dir, `block-${index}`);
      const tmp = join(work, 'tmp');
      mkdirSync(tmp, { recursive: true });
      writeFileSync(join(work, 'psl.bin'), sampleImage(3 * 1024 * 1024, 5));
      const usable = block.lines.filter((l) => haveJq || !/\|\s*jq\b/.test(l.text));
      const script = blockScript({ ...block, lines: usable }, CLI, tmp, join(work, 'state'));
      const r = spawnSync('bash', ['-c', script], {
        cwd: work,
        encoding: 'utf8',
        env: { ...process.env, CI: '1', FORCE_COLOR: '0' },
        timeout: 240_000,
        maxBuffer: 64 * 1024 * 1024,
      });
      const codes = new Map(
        [...r.stdout.matchAll(/^::rc (\d+) (\d+)$/gm)].map((m) => [Number(m[1]), Number(m[2])]),
      );
      const got = usable.flatMap((line, i) =>
        line.checked ? [`${line.text} -> ${codes.get(i) ?? 'did not run'}`] : [],
      );
      const want = usable.flatMap((line) =>
        line.checked ? [`${line.text} -> ${line.documentedExit ?? STATED[line.text] ?? 0}`] : [],
      );
      expect(got, r.stderr.slice(-2000)).toEqual(want);
    },
    300_000,
  );
});

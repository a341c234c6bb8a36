/**
 * `cxl-flasher completion bash|zsh|fish`: each script parses in its shell, and the bash one
 * (and fish's own `complete -C`) yields the expected words: commands, options, scenario names
 * after --simulate=, card names and location codes from the simulator, image files.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, runCli } from '../helpers/cli.js';

const has = (shell: string): boolean => spawnSync(shell, ['-c', 'exit 0']).status === 0;

let dir: string;
const scripts: Record<string, string> = {};
/** PATH with a `cxl-flasher` that runs the built CLI, as an installed one would */
let path: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cxl-completion-'));
  for (const shell of ['bash', 'zsh', 'fish']) {
    const r = await runCli(['completion', shell]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    scripts[shell] = join(dir, `completion.${shell}`);
    writeFileSync(scripts[shell], r.stdout);
  }
  mkdirSync(join(dir, 'bin'));
  writeFileSync(
    join(dir, 'bin', 'cxl-flasher'),
    `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} "$@"\n`,
  );
  chmodSync(join(dir, 'bin', 'cxl-flasher'), 0o755);
  path = `${join(dir, 'bin')}:${process.env.PATH ?? ''}`;
  mkdirSync(join(dir, 'images'));
  writeFileSync(join(dir, 'images', 'psl image.bin'), 'x');
  writeFileSync(join(dir, 'images', 'other.bin'), 'x');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What bash completion offers for these words (the last one is the word being completed). */
function bashComplete(words: readonly string[]): string[] {
  const driver = [
    'source "$1"; shift',
    'COMP_WORDS=("$@"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))',
    '_cxl_flasher',
    'printf "%s\\n" "${COMPREPLY[@]}"',
  ].join('\n');
  const r = spawnSync('bash', ['-c', driver, 'bash', scripts.bash ?? '', ...words], {
    encoding: 'utf8',
    env: { ...process.env, PATH: path },
  });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.split('\n').filter(Boolean);
}

describe('completion scripts', () => {
  it('bash -n parses the bash script', () => {
    const r = spawnSync('bash', ['-n', scripts.bash ?? ''], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  });

  it.skipIf(!has('zsh'))('zsh -n parses the zsh script', () => {
    const r = spawnSync('zsh', ['-n', scripts.zsh ?? ''], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  });

  it.skipIf(!has('fish'))('fish -n parses the fish script', () => {
    const r = spawnSync('fish', ['-n', scripts.fish ?? ''], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  });

  it('refuses an unknown shell with exit 2', async () => {
    const r = await runCli(['completion', 'tcsh']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bash, zsh, fish/);
  });
});

describe('bash completion yields', () => {
  it('the commands, and a command from its prefix', () => {
    expect(bashComplete(['cxl-flasher', ''])).toEqual(
      expect.arrayContaining(['flash', 'list', 'status', 'inspect', 'recover', 'completion']),
    );
    expect(bashComplete(['cxl-flasher', '__'])).toEqual([]); // the hidden helper stays hidden
    expect(bashComplete(['cxl-flasher', 'fl'])).toEqual(['flash']);
    expect(bashComplete(['cxl-flasher', '--state-dir', '/tmp', 'st'])).toEqual(['status']);
  });

  it("each command's own options, and the global ones before a command", () => {
    expect(bashComplete(['cxl-flasher', 'flash', '--'])).toEqual(
      expect.arrayContaining(['--card', '--yes', '--check', '--dry-run', '--force', '--quiet']),
    );
    expect(bashComplete(['cxl-flasher', 'flash', '--ch'])).toEqual(['--check']);
    expect(bashComplete(['cxl-flasher', 'status', '--w'])).toEqual(['--watch']);
    expect(bashComplete(['cxl-flasher', '--s'])).toEqual(['--simulate', '--state-dir']);
  });

  it('scenario names after --simulate=, also after a comma', () => {
    // bash splits `--simulate=no-r` at '=' (COMP_WORDBREAKS)
    expect(bashComplete(['cxl-flasher', '--simulate', '=', 'no-r'])).toEqual(['no-reload']);
    expect(bashComplete(['cxl-flasher', '--simulate', '=', 'speed@9,afu'])).toEqual([
      'speed@9,afu-in-use',
    ]);
    expect(bashComplete(['cxl-flasher', '--simulate', '='])).toEqual(
      expect.arrayContaining(['speed@', 'download-fail@', 'validate-mismatch', 'fresh']),
    );
  });

  it('card names and location codes after --card, from the simulator when simulating', () => {
    const state = join(dir, 'state');
    expect(
      bashComplete(['cxl-flasher', '--simulate', '--state-dir', state, 'flash', 'x', '--card', '']),
    ).toEqual(['card0', 'U78CB.001.WZS0001-P1-C7']);
    expect(
      bashComplete(['cxl-flasher', '--simulate', '--state-dir', state, 'status', '--card', 'U7']),
    ).toEqual(['U78CB.001.WZS0001-P1-C7']);
  });

  it('image files for flash and inspect, names with spaces kept whole', () => {
    const images = join(dir, 'images');
    expect(bashComplete(['cxl-flasher', 'flash', `${images}/ps`])).toEqual([
      `${images}/psl image.bin`,
    ]);
    expect(bashComplete(['cxl-flasher', 'inspect', `${images}/o`])).toEqual([
      `${images}/other.bin`,
    ]);
    expect(bashComplete(['cxl-flasher', 'completion', ''])).toEqual(['bash', 'zsh', 'fish']);
  });
});

describe.skipIf(!has('fish'))('fish completion yields', () => {
  const fishComplete = (line: string): string[] => {
    const r = spawnSync(
      'fish',
      ['-c', `source ${scripts.fish}; complete -C ${JSON.stringify(line)}`],
      {
        encoding: 'utf8',
        env: { ...process.env, PATH: path },
      },
    );
    expect(r.status, r.stderr).toBe(0);
    return r.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split('\t')[0] ?? '');
  };

  it('commands, options, scenarios and cards', () => {
    expect(fishComplete('cxl-flasher fl')).toEqual(['flash']);
    expect(fishComplete('cxl-flasher flash --che')).toEqual(['--check']);
    expect(fishComplete('cxl-flasher --simulate=no-r')).toEqual(['--simulate=no-reload']);
    const state = join(dir, 'state-fish');
    expect(fishComplete(`cxl-flasher --simulate --state-dir ${state} flash x --card `)).toEqual([
      'card0',
      'U78CB.001.WZS0001-P1-C7',
    ]);
  });
});

/**
 * examples/ansible/flash-fleet.yml, run with `ansible-playbook -c local` against a two-LPAR
 * inventory that points at localhost and the simulator: it flashes serially, collects each host's
 * result event, and stops at the first failure. Needs ansible (apt: ansible-core); .ci/run
 * installs it and sets CXL_REQUIRE_ANSIBLE=1 so that its absence fails there instead of skipping.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI } from '../helpers/cli.js';
import { sampleImage } from '../helpers/engine.js';

const haveAnsible = spawnSync('ansible-playbook', ['--version']).status === 0;
if (!haveAnsible && process.env.CXL_REQUIRE_ANSIBLE === '1') {
  throw new Error('ansible-playbook is required here (CXL_REQUIRE_ANSIBLE=1) but is not installed');
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cxl-ansible-'));
  writeFileSync(join(dir, 'image.bin'), sampleImage(3 * 1024 * 1024, 4));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function playbook(inventory: string): { status: number | null; output: string } {
  writeFileSync(join(dir, 'inventory.ini'), inventory);
  const r = spawnSync(
    'ansible-playbook',
    [
      '-i',
      join(dir, 'inventory.ini'),
      resolve('examples/ansible/flash-fleet.yml'),
      '-e',
      `image=${join(dir, 'image.bin')}`,
      '-e',
      `cxl_flasher=${process.execPath}`,
      '-e',
      `results_dir=${join(dir, 'results')}`,
    ],
    {
      encoding: 'utf8',
      env: {
        ...process.env,
        ANSIBLE_NOCOLOR: '1',
        ANSIBLE_LOCALHOST_WARNING: 'false',
        ANSIBLE_INVENTORY_UNPARSED_WARNING: 'false',
      },
    },
  );
  return { status: r.status, output: `${r.stdout}\n${r.stderr}` };
}

// Each "LPAR" is localhost with its own simulator and state folder.
const lpar = (name: string, scenarios: string): string =>
  `${name} ansible_connection=local ansible_python_interpreter=${'/usr/bin/python3'} cxl_flasher_options="${CLI} --simulate=speed@100${scenarios} --state-dir ${join(dir, name)}"`;

describe('the Ansible example folder', () => {
  it('keeps the results a play writes beside the playbook out of git', () => {
    const git = spawnSync('git', ['check-ignore', '-q', 'examples/ansible/results/lpar1.json']);
    if (git.error) return; // not a git checkout (an unpacked package): nothing to keep out
    expect(git.status).toBe(0);
  });
});

describe.skipIf(!haveAnsible)(
  'the Ansible fleet example (ansible-playbook -c local, simulator)',
  () => {
    it('flashes every LPAR serially and collects each result event', () => {
      const r = playbook(`[lpars]\n${lpar('lpar1', '')}\n${lpar('lpar2', '')}\n`);
      expect(r.status, r.output).toBe(0);
      for (const host of ['lpar1', 'lpar2']) {
        const result = JSON.parse(readFileSync(join(dir, 'results', `${host}.json`), 'utf8')) as {
          event: string;
          outcome: string;
          exitCode: number;
        };
        expect(result).toMatchObject({ event: 'result', outcome: 'success', exitCode: 0 });
      }
      expect(r.output).toMatch(/lpar1 +: ok=\d+ +changed=\d+ +unreachable=0 +failed=0 /);
      expect(r.output).toMatch(/lpar2 +: ok=\d+ +changed=\d+ +unreachable=0 +failed=0 /);
      // serial: 1 runs the whole task list once per LPAR, one after the other
      expect(r.output.match(/TASK \[Flash the adapter/g)).toHaveLength(2);
    }, 120_000);

    it('the rehearsal of examples/ansible/README.md runs as written from the repository root', () => {
      const readme = readFileSync('examples/ansible/README.md', 'utf8');
      const blocks = [...readme.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? '');
      const rehearsal = blocks.find((b) => b.includes('--simulate'));
      expect(rehearsal).toBeDefined();
      const script = (rehearsal ?? '').replaceAll('/tmp/', `${dir}/`);
      const r = spawnSync('bash', ['-c', script], {
        encoding: 'utf8',
        env: { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_LOCALHOST_WARNING: 'false' },
      });
      expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
      expect(r.stdout).toMatch(/localhost +: ok=\d+ +changed=\d+ +unreachable=0 +failed=0 /);
      const result = JSON.parse(
        readFileSync(join(dir, 'rehearsal', 'results', 'localhost.json'), 'utf8'),
      ) as { outcome: string };
      expect(result.outcome).toBe('success');
    }, 180_000);

    it('stops at the first LPAR that fails; the rest are not flashed', () => {
      const r = playbook(`[lpars]\n${lpar('lpar1', ',validate-mismatch')}\n${lpar('lpar2', '')}\n`);
      expect(r.status).not.toBe(0);
      const first = JSON.parse(readFileSync(join(dir, 'results', 'lpar1.json'), 'utf8')) as {
        outcome: string;
        exitCode: number;
      };
      expect(first).toMatchObject({ outcome: 'rejected', exitCode: 4 });
      expect(existsSync(join(dir, 'results', 'lpar2.json'))).toBe(false);
      expect(r.output).toMatch(/lpar1: rejected \(exit 4\)/);
    }, 120_000);
  },
);

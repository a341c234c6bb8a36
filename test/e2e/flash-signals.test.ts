/**
 * The built CLI under signals and crashes, against the simulator (issue: SIGHUP, SIGKILL then
 * recover, a stall past the 3-second rule, Ctrl-C twice, SIGTERM, a second instance).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { isProgress, startCli, type CliProcess } from '../helpers/cli-process.js';
import { sampleImage } from '../helpers/engine.js';

let dir: string;
let image: string;
const children: CliProcess[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cxl-signals-'));
  image = join(dir, 'image.bin');
  // 6 MiB: 7 calls a pass; at speed 4 the download takes about 1.8 s (the erase 1 s of it).
  writeFileSync(image, sampleImage(6 * 1024 * 1024, 3));
});
afterEach(() => {
  for (const c of children.splice(0)) c.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const flash = (speed: number, ...extra: string[]): CliProcess => {
  const c = startCli([
    '--simulate=speed@' + speed,
    '--state-dir',
    dir,
    'flash',
    image,
    '--yes',
    '--json',
    '--reload-timeout',
    '20',
    ...extra,
  ]);
  children.push(c);
  return c;
};

const journal = async (): Promise<{
  attempts: { outcome: string; phase: string; message: string | null }[];
}> => {
  const r = await runCli(['--simulate', '--state-dir', dir, 'history', '--json']);
  return JSON.parse(r.stdout) as {
    attempts: { outcome: string; phase: string; message: string | null }[];
  };
};

describe('the flash process under signals', () => {
  it('keeps flashing through SIGHUP (a dropped SSH session) and completes', async () => {
    const c = flash(4);
    await c.waitFor(isProgress('download', 1));
    c.child.kill('SIGHUP');
    const { code } = await c.exit();
    expect(code).toBe(0);
    expect(c.events.some((e) => e.event === 'warning' && e.code === 'terminal-lost')).toBe(true);
    expect(c.events.at(-1)).toMatchObject({ event: 'result', outcome: 'success' });
    expect((await journal()).attempts[0]?.outcome).toBe('success');
  });

  it('aborts on SIGTERM during the download: exit 130, journal aborted', async () => {
    const c = flash(4);
    await c.waitFor(isProgress('download', 1));
    c.child.kill('SIGTERM');
    const { code } = await c.exit();
    expect(code).toBe(130);
    expect(c.events.at(-1)).toMatchObject({ event: 'result', outcome: 'aborted', exitCode: 130 });
    expect((await journal()).attempts[0]).toMatchObject({ outcome: 'aborted', phase: 'download' });
  });

  it('asks for a second Ctrl-C before aborting the validate', async () => {
    const c = flash(4);
    await c.waitFor(isProgress('validate', 1));
    c.child.kill('SIGINT');
    await c.waitFor((e) => e.event === 'warning' && e.code === 'interrupt');
    c.child.kill('SIGINT');
    const { code } = await c.exit();
    expect(code).toBe(130);
    expect((await journal()).attempts[0]).toMatchObject({ outcome: 'aborted', phase: 'validate' });
  });

  it('refuses a second instance while the first holds the lock, naming it (exit 3)', async () => {
    const first = flash(2);
    await first.waitFor(isProgress('download', 1));
    const second = await runCli([
      '--simulate=speed@2',
      '--state-dir',
      dir,
      'flash',
      image,
      '--yes',
    ]);
    expect(second.code).toBe(3);
    expect(second.stdout).toMatch(
      new RegExp(`another cxl-flasher is running: pid ${first.child.pid} \\(`),
    );
    expect((await first.exit()).code).toBe(0);
  });

  it('leaves an unfinished attempt when SIGKILLed, which recover explains and then repairs', async () => {
    const c = flash(4);
    await c.waitFor(isProgress('download', 2));
    c.child.kill('SIGKILL');
    expect((await c.exit()).signal).toBe('SIGKILL');

    const explained = await runCli(['--simulate', '--state-dir', dir, 'recover', '--json']);
    expect(explained.code).toBe(0);
    const verdict = JSON.parse(explained.stdout) as {
      kind: string;
      happened: string;
      next: { command: string };
    };
    expect(verdict.kind).toBe('no-valid-image');
    expect(verdict.happened).toMatch(/never finished/);
    expect(verdict.happened).toMatch(/download call \d+ of 7/);
    expect(verdict.next.command).toContain(`--sha256 `);

    const repaired = await runCli(['--simulate=speed@20', '--state-dir', dir, 'recover', '--yes']);
    expect(repaired.code).toBe(0);
    expect(repaired.stdout).toMatch(/^success \(exit 0\)/m);
    const after = await runCli(['--simulate', '--state-dir', dir, 'recover', '--json']);
    expect((JSON.parse(after.stdout) as { kind: string }).kind).toBe('nothing-to-recover');
  }, 40_000);

  it('a stall longer than 3 s (SIGSTOP) makes the simulated hypervisor abandon the download', async () => {
    const c = flash(4);
    await c.waitFor(isProgress('download', 2));
    c.child.kill('SIGSTOP');
    await new Promise((r) => setTimeout(r, 3500));
    c.child.kill('SIGCONT');
    const { code } = await c.exit();
    expect(code).toBe(1);
    const error = c.events.find((e) => e.event === 'error') as
      { hcall: { name: string } | null; phase: string } | undefined;
    expect(error?.phase).toBe('download');
    expect(error?.hcall?.name).toBe('H_STATE');
    // The stop fell while a call was in flight: our own gap stayed small, but the ticker saw
    // the process stand still and says so beside the hypervisor's H_STATE.
    const stall = c.events.find((e) => e.event === 'warning' && e.code === 'stalled-critical');
    expect(stall?.message).toMatch(/The display did not run for 3\.\d s/);
    // the result names the stop, which the gap figure (taken between calls) cannot see
    const result = c.events.find((e) => e.event === 'result') as { message: string } | undefined;
    expect(result?.message).toMatch(/stopped or starved .* the hypervisor abandoned the sequence/);
    expect((await journal()).attempts[0]?.outcome).toBe('failed');
  }, 40_000);
});

import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { normaliseArgv } from '../../src/commands/program.js';
import { CLI, runCli } from '../helpers/cli.js';

describe('the built CLI', () => {
  it('prints help with the exit code table and exits 0', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: cxl-flasher/);
    expect(r.stdout).toMatch(/doctor/);
    for (const code of ['0', '1', '2', '3', '4', '5', '130']) {
      expect(r.stdout).toMatch(new RegExp(`^\\s+${code}  \\S`, 'm'));
    }
  });

  it('prints the version from package.json', async () => {
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('exits 2 with a hint and no stack trace on an unknown option', async () => {
    const r = await runCli(['--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown option '--bogus'/);
    expect(r.stderr).toMatch(/--help/);
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });

  it('doctor --json reports this architecture’s request numbers and never a card open', async () => {
    const r = await runCli(['doctor', '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as {
      arch: string;
      ioctl: { downloadImage: string; validateImage: string; structSize: number; layout: string };
      kernel: { release: string; driver: { status: string } };
    };
    expect(report.arch).toBe(process.arch);
    const ppc = process.arch === 'ppc64';
    expect(report.ioctl.downloadImage).toBe(ppc ? '0x8040ca0a' : '0x4040ca0a');
    expect(report.ioctl.validateImage).toBe(ppc ? '0x8040ca0b' : '0x4040ca0b');
    expect(report.ioctl.structSize).toBe(64);
    expect(report.kernel.release.length).toBeGreaterThan(0);
  });

  it('doctor prints a readable report', async () => {
    const r = await runCli(['doctor']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^DOWNLOAD_IMAGE\s+0x[0-9a-f]{8}$/m);
    expect(r.stdout).toMatch(/^cxl driver\s+\w+/m);
  });

  it('survives a reader that closes the pipe before it writes (EPIPE)', async () => {
    const child = spawn(process.execPath, [CLI, 'doctor', '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy(); // closed before node has even started
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('reads --simulate without a value as a flag, not as a scenario named after the command', () => {
    expect(normaliseArgv(['node', 'cli', '--simulate', 'list'])).toEqual([
      'node',
      'cli',
      '--simulate=',
      'list',
    ]);
    expect(normaliseArgv(['--simulate=no-cards'])).toEqual(['--simulate=no-cards']);
  });
});

describe('--help of every command', () => {
  it.each([
    'flash',
    'list',
    'status',
    'inspect',
    'history',
    'recover',
    'attach',
    'doctor',
    'completion',
  ])('%s lists its options, its exit codes and examples', async (command) => {
    const r = await runCli([command, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Options:$/m);
    expect(r.stdout).toMatch(/^Exit codes: /m);
    expect(r.stdout).toMatch(/^Examples:\n {2}cxl-flasher /m);
  });
});

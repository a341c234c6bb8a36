import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { isProgress, startCli, type CliProcess } from '../helpers/cli-process.js';
import { sampleImage } from '../helpers/engine.js';

let dir: string;
const children: CliProcess[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cxl-attach-'));
  writeFileSync(join(dir, 'image.bin'), sampleImage(6 * 1024 * 1024, 5));
});
afterEach(() => {
  for (const c of children.splice(0)) c.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('cxl-flasher attach', () => {
  it('says clearly that nothing is running (exit 0), also as JSON', async () => {
    const text = await runCli(['--simulate', '--state-dir', dir, 'attach']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^No flash is running/);
    const json = await runCli(['--simulate', '--state-dir', dir, 'attach', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ running: false });
  });

  it('sees a running flash from the replay on, its progress and its result, read-only', async () => {
    const flasher = startCli([
      '--simulate=speed@4',
      '--state-dir',
      dir,
      'flash',
      join(dir, 'image.bin'),
      '--yes',
      '--json',
    ]);
    children.push(flasher);
    await flasher.waitFor(isProgress('download', 1));
    const observer = startCli(['--simulate', '--state-dir', dir, 'attach', '--json']);
    children.push(observer);
    const [flashed, observed] = await Promise.all([flasher.exit(), observer.exit()]);
    expect(flashed.code).toBe(0);
    expect(observed.code).toBe(0);
    const kinds = observer.events.map((e) => e.event);
    expect(kinds[0]).toBe('start'); // the replay starts at the beginning of the run
    expect(kinds).toContain('adapter');
    expect(observer.events.some(isProgress('validate', 1))).toBe(true);
    const result = observer.events.at(-1);
    expect(result).toMatchObject({ event: 'result', outcome: 'success' });
    expect(result?.journalId).toBe(flasher.events.at(-1)?.journalId);
  });

  it("exits with the watched flash's exit code, and plain mode prints the result line", async () => {
    const flasher = startCli([
      '--simulate=speed@4,validate-mismatch',
      '--state-dir',
      dir,
      'flash',
      join(dir, 'image.bin'),
      '--yes',
      '--json',
    ]);
    children.push(flasher);
    await flasher.waitFor(isProgress('download', 1));
    const observed = await runCli(['--simulate', '--state-dir', dir, 'attach']);
    expect(observed.code).toBe(4);
    expect(observed.stdout).toMatch(/^rejected \(exit 4\)/m);
    expect(observed.stderr).toMatch(/watching the flash of card0/);
  });
});

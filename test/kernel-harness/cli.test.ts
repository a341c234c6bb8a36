/**
 * The built CLI's `flash` end to end against the kernel's own flash.c: the simulated card device
 * is replaced, through a test-only preload, by the harness library (device_open, device_ioctl,
 * device_close) in front of the simulated adapter.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sampleImage } from '../helpers/engine.js';
import { harnessLibrary, prepareHarness, PREPARE_TIMEOUT_MS, skipReason } from './kernel-engine.js';

const skip = skipReason();
beforeAll(prepareHarness, PREPARE_TIMEOUT_MS);
const CLI = resolve('dist/cli.js');
const PRELOAD = resolve('test/kernel-harness/cli-preload.mjs');

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function flash(scenarios: string, size: number) {
  dir = mkdtempSync(join(tmpdir(), 'cxl-kernel-cli-'));
  const image = join(dir, 'image.bin');
  writeFileSync(image, sampleImage(size, 3));
  return new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
    execFile(
      process.execPath,
      [
        '--import',
        PRELOAD,
        CLI,
        `--simulate=${scenarios}`,
        '--state-dir',
        dir,
        'flash',
        image,
        '--yes',
        '--json',
      ],
      {
        env: {
          ...process.env,
          CXL_KERNEL_HARNESS_LIBRARY: harnessLibrary(65536),
          FORCE_COLOR: '0',
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) =>
        done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const kernelReport = (stderr: string): { events: string[]; hcalls: number; errors: string[] } => {
  const line = stderr.split('\n').find((l) => l.startsWith('kernel-harness '));
  if (!line) throw new Error(`no kernel-harness report in: ${stderr}`);
  return JSON.parse(line.slice('kernel-harness '.length)) as never;
};
const resultOf = (stdout: string): Record<string, unknown> | undefined =>
  stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .find((e) => e.event === 'result');

describe.skipIf(skip !== null)('cxl-flasher flash (built CLI) through the kernel’s flash.c', () => {
  it('flashes 2.5 MB: device_open, 6 hcalls through handle_image, the success path, device_close re-probes; exit 0', async () => {
    const r = await flash('speed@400', 2_500_000);
    expect(r.code).toBe(0);
    expect(resultOf(r.stdout)).toMatchObject({ outcome: 'success', exitCode: 0 });
    expect(kernelReport(r.stderr)).toEqual({
      events: [
        'open',
        'remove-afu',
        'facility-reset',
        'update-nodes',
        'update-property',
        'close',
        'reload',
        'close',
      ],
      hcalls: 6,
      errors: [],
    });
  }, 90_000);

  it('validate-mismatch: cxl_h_download_facility logs H_BAD_DATA; exit 4, rejected', async () => {
    const r = await flash('speed@400,validate-mismatch', 2_500_000);
    expect(r.code).toBe(4);
    expect(resultOf(r.stdout)).toMatchObject({ outcome: 'rejected', exitCode: 4 });
    const k = kernelReport(r.stderr);
    expect(k.events).toEqual([
      'open',
      'kmsg',
      'facility-reset',
      'close',
      'facility-reset',
      'close',
    ]);
    expect(k.errors).toEqual([]);
  }, 90_000);
});

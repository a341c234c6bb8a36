/**
 * What the result, `recover` and `status` say about the adapter's image is what happened: each
 * scenario's words are checked against the simulator's own model of the adapter.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  dir = mkdtempSync(join(tmpdir(), 'cxl-claims-'));
  image = join(dir, 'image.bin');
  writeFileSync(image, sampleImage(4 * 1024 * 1024, 9));
});
afterEach(() => {
  for (const c of children.splice(0)) c.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

interface ModelImage {
  readonly state: string;
  readonly origin: string;
}
const modelImage = (): ModelImage =>
  (JSON.parse(readFileSync(join(dir, 'simulator', 'model.json'), 'utf8')) as { image: ModelImage })
    .image;

async function recoverJson(simulate = ''): Promise<{ kind: string; adapterNow: string }> {
  const r = await runCli([
    `--simulate${simulate ? `=${simulate}` : ''}`,
    '--state-dir',
    dir,
    'recover',
    '--json',
  ]);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as { kind: string; adapterNow: string };
}

async function statusText(simulate = ''): Promise<string> {
  const r = await runCli([
    `--simulate${simulate ? `=${simulate}` : ''}`,
    '--state-dir',
    dir,
    'status',
  ]);
  return `${r.stdout}${r.stderr}`;
}

describe('claims about the adapter follow what happened', () => {
  it('factory-fallback + SIGTERM mid-download: it runs its factory image, never "no valid image"', async () => {
    const c = startCli([
      '--simulate=speed@4,factory-fallback',
      '--state-dir',
      dir,
      'flash',
      image,
      '--yes',
      '--json',
    ]);
    children.push(c);
    await c.waitFor(isProgress('download', 2));
    c.child.kill('SIGTERM');
    expect((await c.exit()).code).toBe(130);
    expect(modelImage()).toEqual({ state: 'valid', sha256: null, origin: 'factory' });
    const result = c.events.find((e) => e.event === 'result');
    expect(String(result?.message)).not.toMatch(/has no valid image/);
    expect(String(result?.message)).toMatch(/factory image/);
    const verdict = await recoverJson('factory-fallback');
    expect(verdict.kind).toBe('factory-image');
    expect(verdict.adapterNow).toMatch(/runs its factory image/);
    expect(verdict.adapterNow).not.toMatch(/no valid image/);
    expect(await statusText('factory-fallback')).not.toMatch(/no valid image/);
  }, 60_000);

  it('download-fail@1:H_PARAMETER (refused before the erase): recover never says the download erased it', async () => {
    const r = await runCli([
      '--simulate=speed@4,download-fail@1:H_PARAMETER',
      '--state-dir',
      dir,
      'flash',
      image,
      '--yes',
    ]);
    expect(r.code).toBe(1);
    expect(modelImage().state).toBe('valid');
    const verdict = await recoverJson();
    expect(verdict.adapterNow).not.toMatch(/erased its image/);
    expect(verdict.adapterNow).toMatch(
      /still holds a valid image.*refused download call 1 \(H_PARAMETER\)/,
    );
    expect(verdict.kind).toBe('untouched');
    expect(await statusText()).not.toMatch(/no valid image/);
  }, 60_000);

  it.each(['driver-absent', 'no-cards'])(
    'with %s, recover never says "Nothing suggests a problem"',
    async (scenario) => {
      const verdict = await recoverJson(scenario);
      expect(verdict.adapterNow).not.toMatch(/Nothing suggests a problem/);
      expect(verdict.adapterNow).toMatch(/driver is not loaded|no CAPI card is visible/);
      const plain = await runCli([`--simulate=${scenario}`, '--state-dir', dir, 'recover']);
      expect(plain.stdout).not.toMatch(/Nothing suggests a problem/);
    },
    30_000,
  );
});

describe('words a person reads', () => {
  it('recover counts calls from 1 and a preflight refusal has no "guest.;"', async () => {
    const refused = await runCli([
      '--simulate=not-guest',
      '--state-dir',
      dir,
      'flash',
      image,
      '--yes',
    ]);
    expect(refused.code).toBe(3);
    expect(refused.stdout).toMatch(/not a PowerVM guest; /);
    expect(`${refused.stdout}${refused.stderr}`).not.toMatch(/\.;|[a-z0-9]\.\.(\s|$)/);
    // a holder's line ends with its device node: "... on /dev/cxl/card0." once, never "card0.."
    const held = await runCli([
      '--simulate=card-held',
      '--state-dir',
      dir,
      'flash',
      image,
      '--yes',
      '--json',
    ]);
    const result = held.stdout.split('\n').find((l) => l.includes('"event":"result"')) ?? '';
    expect((JSON.parse(result) as { message: string }).message).toMatch(/\/dev\/cxl\/card0\.$/);

    const r = await runCli([
      '--simulate=speed@4,download-fail@5:H_HARDWARE',
      '--state-dir',
      dir,
      'flash',
      image,
      '--yes',
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/download call 5 of \d+ failed/);
    const text = await runCli(['--simulate', '--state-dir', dir, 'recover']);
    // call 5 failed: four had completed, and both say so counting from 1
    expect(text.stdout).toMatch(/last seen after download call 4 of \d+ completed/);
    expect(text.stdout).toMatch(/download call 5 of \d+ failed/);
  }, 60_000);
});

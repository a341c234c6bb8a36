/**
 * `flash --check` (and `--dry-run`), current versus new, the same-image refusal and --force,
 * and `--quiet`, through the built CLI on the simulator.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020Module from 'ajv/dist/2020.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JOURNAL_FILE } from '../../src/journal/journal.js';
import { runCli } from '../helpers/cli.js';
import { sampleImage } from '../helpers/engine.js';

const Ajv2020 = Ajv2020Module.default;
const validateEvent = new Ajv2020({
  allErrors: true,
  strict: false,
  validateFormats: false,
}).compile(JSON.parse(readFileSync('docs/schema/events.schema.json', 'utf8')) as object);

interface Event {
  readonly event: string;
  readonly [key: string]: unknown;
}

let dir: string;
let image: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cxl-check-'));
  image = join(dir, 'image.bin');
  writeFileSync(image, sampleImage(2_500_000, 5));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const flash = (args: readonly string[], scenarios = 'speed@1000') =>
  runCli([`--simulate=${scenarios}`, '--state-dir', dir, 'flash', image, ...args]);

const events = (stdout: string): Event[] =>
  stdout
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as Event);

const journal = (): string => join(dir, JOURNAL_FILE);

describe('flash --check', () => {
  it.each(['--check', '--dry-run'])(
    '%s exits 0 with the verdict, opens nothing and journals nothing',
    async (flag) => {
      const r = await flash([flag]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^checked \(exit 0\): Check only: 11 of 11 checks passed/m);
      expect(r.stdout).toMatch(/the card device was not opened/i);
      // what a flash would do, and current versus new
      expect(r.stderr).toMatch(
        /^current: card0 at U78CB\.001\.WZS0001-P1-C7 runs PSL revision 12/m,
      );
      expect(r.stderr).toMatch(/^new: .*image\.bin \(2\.4 MiB, sha256 [0-9a-f]{64}/m);
      expect(r.stderr).toMatch(/^plan: take the flasher lock.*open \/dev\/cxl\/card0.*download/m);
      expect(r.stderr).not.toMatch(/phase (opening|download)/);
      expect(existsSync(journal())).toBe(false);
      // the simulated adapter records its last event (an open would be "card0 opened by PID")
      expect(readFileSync(join(dir, 'simulator/model.json'), 'utf8')).not.toMatch(/opened by PID/);
      const list = await runCli(['--simulate', '--state-dir', dir, 'list']);
      expect(list.stdout).toMatch(/factory-new/);
    },
  );

  it('--check --json emits valid events, a plan and one result with outcome "checked"', async () => {
    const r = await flash(['--check', '--json']);
    expect(r.code).toBe(0);
    const all = events(r.stdout);
    for (const e of all) expect(validateEvent(e), JSON.stringify(e)).toBe(true);
    expect(all.filter((e) => e.event === 'result')).toHaveLength(1);
    const result = all.at(-1);
    expect(result).toMatchObject({ event: 'result', outcome: 'checked', exitCode: 0 });
    const plan = all.find((e) => e.event === 'plan');
    expect(plan).toMatchObject({
      card: { name: 'card0', locationCode: 'U78CB.001.WZS0001-P1-C7' },
      current: { pslRevision: 12, image: null, certain: false },
      sameImage: false,
    });
    expect(all.some((e) => e.event === 'phase' && e.phase === 'opening')).toBe(false);
  });

  it('--check still refuses what a flash would refuse, with exit 3', async () => {
    const r = await flash(['--check'], 'speed@1000,afu-in-use');
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/^refused \(exit 3\): Preflight refused/m);
  });

  it('--check with a damaged checksum exits 2, as the flash would', async () => {
    const r = await flash(['--check', '--sha256', '0'.repeat(64)]);
    expect(r.code).toBe(2);
  });
});

describe('current versus new, and the same image again', () => {
  it('re-flashing the image the card runs is refused (exit 3) without --force, and flashed with it', async () => {
    const first = await flash(['--yes']);
    expect(first.code).toBe(0);

    const again = await flash(['--yes', '--json']);
    expect(again.code).toBe(3);
    const all = events(again.stdout);
    for (const e of all) expect(validateEvent(e), JSON.stringify(e)).toBe(true);
    const checks = all.find((e) => e.event === 'preflight')?.checks as {
      id: string;
      status: string;
      message: string;
    }[];
    expect(checks.find((c) => c.id === 'same-image')).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/already runs this image/) as unknown,
    });
    const plan = all.find((e) => e.event === 'plan') as unknown as {
      current: { image: { sha256: string } | null; pslRevision: number; certain: boolean };
      new: { sha256: string };
      sameImage: boolean;
    };
    expect(plan.sameImage).toBe(true);
    expect(plan.current.certain).toBe(true);
    expect(plan.current.image?.sha256).toBe(plan.new.sha256);
    expect(plan.current.pslRevision).toBe(13);
    expect(all.at(-1)).toMatchObject({
      event: 'result',
      outcome: 'same-image',
      exitCode: 3,
      message: expect.stringMatching(/already runs this image/) as unknown,
      nextStep: expect.stringMatching(/--force/) as unknown,
    });
    expect(all.some((e) => e.event === 'phase' && e.phase === 'opening')).toBe(false);

    const forced = await flash(['--yes', '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stderr).toMatch(/preflight warn: New image: .*because of --force/);
  });

  it('the same image with another refusal is a plain refusal, not "same-image"', async () => {
    expect((await flash(['--yes'])).code).toBe(0);
    const r = await flash(['--yes', '--json'], 'speed@1000,afu-in-use');
    expect(r.code).toBe(3);
    expect(events(r.stdout).at(-1)).toMatchObject({ outcome: 'refused', exitCode: 3 });
  });

  it('a different image is not refused, and the plan names what ran before', async () => {
    expect((await flash(['--yes'])).code).toBe(0);
    writeFileSync(image, sampleImage(2_500_000, 6));
    const r = await flash(['--check']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /^current: card0 .* runs PSL revision 13; last flashed with .*image\.bin/m,
    );
    expect(r.stderr).not.toMatch(/same image/);
  });

  it('after a failed attempt on the card the same image may be flashed again', async () => {
    expect((await flash(['--yes'])).code).toBe(0);
    expect((await flash(['--yes', '--force'], 'speed@1000,download-fail@2')).code).toBe(1);
    const r = await flash(['--yes', '--json']);
    expect(r.code).toBe(0);
    const plan = events(r.stdout).find((e) => e.event === 'plan') as unknown as {
      sameImage: boolean;
      current: { certain: boolean; note: string };
    };
    expect(plan.sameImage).toBe(false);
    expect(plan.current.certain).toBe(false);
    expect(plan.current.note).toMatch(/a later attempt .* ended failed/);
  });
});

describe('flash --quiet', () => {
  it('prints only the result line on success', async () => {
    const r = await flash(['--yes', '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stdout).toMatch(/^success \(exit 0\): Flashed and validated/);
  });

  it('prints the error and the result (with its next step) on a failure', async () => {
    const r = await flash(['--yes', '-q'], 'speed@1000,download-fail@2:H_HARDWARE');
    expect(r.code).toBe(1);
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^error in download call 2: /),
    ]);
    expect(r.stdout).toMatch(/^failed \(exit 1\): /);
    expect(r.stdout).toMatch(/^next: /m);
  });

  it('without --yes says that --quiet asks no questions (exit 2)', async () => {
    const r = await flash(['--quiet']);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/--quiet never asks questions/);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { embeddedHeader, xilinxBin } from '../helpers/images.js';

interface Report {
  ok: boolean;
  adapter: {
    selected: boolean;
    name: string | null;
    label: string | null;
    simulated: boolean;
    note: string;
  };
  compatibility: { verdict: string };
  header: { kernel: { idsKnown: boolean; hex: string | null } };
  problems: { code: string }[];
}

describe('inspect against the simulated adapter', () => {
  let dir: string;
  const payload = xilinxBin(1_500_000);
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cxl-inspect-sim-'));
    writeFileSync(join(dir, 'raw.bin'), payload);
    // The simulated card is 1014:0477 subsystem 1014:04cf; this header was built for 0601.
    writeFileSync(
      join(dir, 'other.bin'),
      Buffer.concat([embeddedHeader([0x1014, 0x0601, 0x1014, 0x04cf], payload.length), payload]),
    );
    writeFileSync(
      join(dir, 'same.bin'),
      Buffer.concat([embeddedHeader([0x1014, 0x0477, 0x1014, 0x04cf], payload.length), payload]),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const inspect = (...args: string[]) =>
    runCli(['--simulate', '--state-dir', dir, 'inspect', ...args, '--json']);

  it('picks the only card and builds the header from its IDs', async () => {
    const r = await inspect(join(dir, 'raw.bin'));
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.adapter).toMatchObject({
      selected: true,
      name: 'card0',
      label: 'U78CB.001.WZS0001-P1-C7',
      simulated: true,
    });
    expect(report.header.kernel.idsKnown).toBe(true);
    expect(report.header.kernel.hex?.slice(0, 32)).toBe('000100000000000010140477101404cf');
  });

  it('compares an embedded header with the card found by location code', async () => {
    const same = JSON.parse(
      (await inspect(join(dir, 'same.bin'), '--card', 'U78CB.001.WZS0001-P1-C7')).stdout,
    ) as Report;
    expect(same.compatibility.verdict).toBe('match');
    const r = await inspect(join(dir, 'other.bin'), '--card', 'card0');
    expect(r.code).toBe(2);
    const other = JSON.parse(r.stdout) as Report;
    expect(other.compatibility.verdict).toBe('mismatch');
    expect(other.problems.map((p) => p.code)).toEqual(['id-mismatch']);
  });
});

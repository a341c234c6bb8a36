import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { expectRefused } from '../helpers/inspect-cli.js';
import { embeddedHeader, tempDir, xilinxBin } from '../helpers/images.js';

const dir = tempDir('cxl-inspect-');
const at = (name: string): string => join(dir.path, name);
const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');
const image = xilinxBin(3_000_000);

beforeAll(() => writeFileSync(at('psl.bin'), image));
afterAll(() => dir.remove());

interface InspectJson {
  schema: string;
  ok: boolean;
  image: {
    path: string;
    fileSize: number;
    payloadOffset: number;
    payloadSize: number;
    fileSha256: string;
    payloadSha256: string;
  };
  checksum: {
    status: string;
    expected: string | null;
    source: string | null;
    matched: string | null;
  };
  format: { kind: string; confidence: string; evidence: string; warnings: string[] };
  header: {
    kernel: { idsKnown: boolean; hex: string | null; fields: { field: string; value: unknown }[] };
    embedded: unknown;
  };
  adapter: { selected: boolean; note: string };
  compatibility: { verdict: string; summary: string };
  plan: {
    lenImage: number;
    callsPerPass: number;
    totalCalls: number;
    firstLenData: number;
    lastLenData: number;
    passes: string[];
    calls: unknown[];
  };
  warnings: string[];
  problems: { code: string; message: string; fix: string }[];
}

describe('cxl-flasher inspect', () => {
  it('is listed in --help and documents its exit codes', async () => {
    const top = await runCli(['--help']);
    expect(top.stdout).toMatch(/^ +inspect \[options\] <image> /m);
    const own = await runCli(['inspect', '--help']);
    expect(own.code).toBe(0);
    expect(own.stdout).toMatch(/--sha256 <hex>/);
    expect(own.stdout).toMatch(
      /Exit codes: 0 nothing found that stops a flash; 2 the image is refused/,
    );
  });

  it('prints size, SHA-256, format, the header, the verdicts and the plan; exit 0', async () => {
    const r = await runCli(['inspect', at('psl.bin')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^size +3,000,000 bytes \(2\.9 MiB\)$/m);
    expect(r.stdout).toContain(`${sha256(image)}  (the whole file, as sha256sum computes it)`);
    expect(r.stdout).toMatch(/^expected +not checked/m);
    expect(r.stdout).toMatch(/^format +Xilinx bitstream \(raw \.bin\)/m);
    expect(r.stdout).toMatch(
      /^adapter +none: no adapter found on this machine: IDs are not compared$/m,
    );
    expect(r.stdout).toMatch(/^ +8 +2 +vendor +unknown +from the adapter: unknown$/m);
    expect(r.stdout).toMatch(/^ +24 +8 +image_length +3,000,000 /m);
    expect(r.stdout).toMatch(/^chunk plan +3 download calls \+ 3 validate calls = 6 ioctls/m);
    expect(r.stdout).toMatch(
      /first call NEED_HEADER with len_data 1,048,448, then 1 x 1,048,576, last 902,976/,
    );
  });

  it('--json prints one document with the documented fields', async () => {
    const r = await runCli(['inspect', at('psl.bin'), '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as InspectJson;
    expect(report.schema).toBe('cxl-flasher.inspect/1');
    expect(report.ok).toBe(true);
    expect(report.image).toMatchObject({
      fileSize: 3_000_000,
      payloadOffset: 0,
      payloadSize: 3_000_000,
      fileSha256: sha256(image),
    });
    expect(report.checksum).toMatchObject({ status: 'not-checked', expected: null, source: null });
    expect(report.format).toMatchObject({ kind: 'xilinx-bin', confidence: 'certain' });
    expect(report.header.kernel.idsKnown).toBe(false);
    expect(report.header.kernel.fields.map((f) => f.field)).toEqual([
      'version',
      'reserved0',
      'vendor',
      'device',
      'subsystem_vendor',
      'subsystem',
      'image_offset',
      'image_length',
      'reserved1',
    ]);
    expect(report.header.embedded).toBeNull();
    expect(report.adapter.selected).toBe(false);
    expect(report.compatibility.verdict).toBe('not-compared');
    expect(report.plan).toMatchObject({
      lenImage: 3_000_000,
      callsPerPass: 3,
      totalCalls: 6,
      firstLenData: 1_048_448,
      lastLenData: 902_976,
      passes: ['download', 'validate'],
    });
    expect(report.plan.calls).toHaveLength(3);
    expect(report.warnings).toEqual([]);
    expect(report.problems).toEqual([]);
  });

  it('--card naming a card that does not exist is exit 2 and lists what exists', async () => {
    const r = await runCli(['inspect', at('psl.bin'), '--card', 'card0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/No such card "card0": there are no cxl cards on this machine/);
  });

  it('checks a sidecar in sha256sum format, picking this file from several lines', async () => {
    writeFileSync(at('multi.bin'), image);
    writeFileSync(
      at('multi.bin.sha256'),
      `${'0'.repeat(64)}  other.bin\n${sha256(image)} *multi.bin\n`,
    );
    const r = await runCli(['inspect', at('multi.bin')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(
        `^expected +match with the file: ${sha256(image)} from .*multi\\.bin\\.sha256$`,
        'm',
      ),
    );
  });

  it('a sidecar mismatch is exit 2 with both hashes; the report is still printed', async () => {
    writeFileSync(at('bad.bin'), image);
    writeFileSync(at('bad.bin.sha256'), `${'e'.repeat(64)}  bad.bin\n`);
    const r = await runCli(['inspect', at('bad.bin')]);
    expectRefused(r, /SHA-256 mismatch/);
    expect(r.stderr).toContain(`expected  ${'e'.repeat(64)}  (from ${at('bad.bin.sha256')})`);
    expect(r.stderr).toContain(
      `actual    ${sha256(image)}  (the whole file, as sha256sum computes it)`,
    );
    expect(r.stdout).toMatch(/^expected +MISMATCH/m);
  });

  it('--sha256 takes precedence over the sidecar and is compared with the file', async () => {
    const r = await runCli([
      'inspect',
      at('bad.bin'),
      '--sha256',
      sha256(image).toUpperCase(),
      '--json',
    ]);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as InspectJson).checksum).toMatchObject({
      status: 'match',
      source: 'option',
      matched: 'file',
    });
  });

  it('a malformed sidecar is exit 2, naming the file and the way out', async () => {
    writeFileSync(at('malformed.bin'), image);
    writeFileSync(at('malformed.bin.sha256'), 'checksum: see website\n');
    const r = await runCli(['inspect', at('malformed.bin')]);
    expectRefused(r, /malformed\.bin\.sha256 cannot be used: line 1 is not a sha256sum line/);
    expect(r.stderr).toMatch(/--sha256 HEX/);
  });

  it('a malformed --sha256 is exit 2 before the image is read', async () => {
    expectRefused(
      await runCli(['inspect', at('psl.bin'), '--sha256', 'abc']),
      /--sha256 expects a SHA-256/,
    );
    expectRefused(
      await runCli(['inspect', at('missing.bin'), '--sha256', 'abc']),
      /--sha256 expects/,
    );
  });

  it('an embedded header is detected, its IDs shown, and the payload after it planned', async () => {
    const file = Buffer.concat([
      embeddedHeader([0x1014, 0x0477, 0x1014, 0x04dd], image.length),
      image,
    ]);
    writeFileSync(at('hdr.bin'), file);
    const text = await runCli(['inspect', at('hdr.bin')]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/begins with its own 128-byte image header/);
    expect(text.stdout).toMatch(/^ +10 +2 +device +0x0477 +as written in the file$/m);
    expect(text.stdout).toMatch(/own header names vendor 0x1014 \(IBM\), device 0x0477/);
    const json = JSON.parse(
      (await runCli(['inspect', at('hdr.bin'), '--json'])).stdout,
    ) as InspectJson;
    expect(json.image).toMatchObject({
      fileSize: 3_000_128,
      payloadOffset: 128,
      payloadSize: 3_000_000,
      fileSha256: sha256(file),
      payloadSha256: sha256(image),
    });
    expect(json.plan.lenImage).toBe(3_000_000);
  });

  it('an archive is refused as not an image, with the report printed', async () => {
    writeFileSync(
      at('psl.bin.gz'),
      Buffer.concat([Buffer.from('1f8b0800', 'hex'), image.subarray(0, 1000)]),
    );
    const r = await runCli(['inspect', at('psl.bin.gz')]);
    expectRefused(r, /gzip-compressed, not an FPGA image/);
    expect(r.stderr).toMatch(/gunzip -k/);
  });
});

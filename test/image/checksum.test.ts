import { createHash } from 'node:crypto';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  compareChecksum,
  findExpectedChecksum,
  parseSha256Option,
} from '../../src/image/checksum.js';
import { ImageError } from '../../src/image/load-errors.js';
import { pickSidecarEntry } from '../../src/image/sidecar.js';
import { tempDir } from '../helpers/images.js';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const C = 'c'.repeat(64);

describe('sidecar lines in sha256sum format', () => {
  it('text mode and binary mode, picking the line for this file', () => {
    const text = `${A}  other.bin\n${B} *psl.bin\n${C}  third.bin\n`;
    expect(pickSidecarEntry(text, ['psl.bin'])).toMatchObject({ ok: true, sha256: B, line: 2 });
  });

  it('names written with a folder match by base name', () => {
    const text = `${A}  ./build/other.bin\n${B}  ./build/psl.bin\n`;
    expect(pickSidecarEntry(text, ['/srv/images/psl.bin'])).toMatchObject({ ok: true, sha256: B });
  });

  it('the BSD form of sha256sum --tag, upper-case hex, CRLF line ends', () => {
    const text = `SHA256 (other.bin) = ${A}\r\nSHA256 (psl.bin) = ${B.toUpperCase()}\r\n`;
    expect(pickSidecarEntry(text, ['psl.bin'])).toMatchObject({ ok: true, sha256: B });
  });

  it('the escaped form sha256sum writes for a name with a backslash', () => {
    const text = `\\${A}  odd\\\\name.bin\n`;
    expect(pickSidecarEntry(text, ['odd\\name.bin'])).toMatchObject({
      ok: true,
      sha256: A,
      note: null,
    });
  });

  it('a file holding just one hash', () => {
    expect(pickSidecarEntry(`${A}\n`, ['psl.bin'])).toEqual({
      ok: true,
      sha256: A,
      line: 1,
      note: null,
    });
  });

  it('a single entry under another name is used, with a note', () => {
    const pick = pickSidecarEntry(`${A}  psl-v1.bin\n`, ['psl-v2.bin']);
    expect(pick).toMatchObject({ ok: true, sha256: A });
    expect(pick.ok && pick.note).toMatch(/names psl-v1\.bin, not psl-v2\.bin/);
  });

  it('several entries and none for this file is refused, naming what it has', () => {
    const pick = pickSidecarEntry(`${A}  a.bin\n${B}  b.bin\n`, ['psl.bin']);
    expect(pick).toEqual({
      ok: false,
      reason: 'it has 2 entries (a.bin, b.bin) and none for psl.bin',
    });
  });

  it('two lines for this file with different hashes is refused', () => {
    const pick = pickSidecarEntry(`${A}  psl.bin\n${B}  ./psl.bin\n`, ['psl.bin']);
    expect(pick).toMatchObject({ ok: false });
    expect(!pick.ok && pick.reason).toMatch(/lines 1, 2 with different hashes/);
  });

  it('malformed content is refused with the line and what is wrong', () => {
    expect(pickSidecarEntry('not a checksum\n', ['psl.bin'])).toEqual({
      ok: false,
      reason: 'line 1 is not a sha256sum line',
    });
    expect(pickSidecarEntry(`${'d'.repeat(32)}  psl.bin\n`, ['psl.bin'])).toEqual({
      ok: false,
      reason: 'line 1 holds an MD5 hash, not a SHA-256',
    });
    expect(pickSidecarEntry('\n\n', ['psl.bin'])).toEqual({
      ok: false,
      reason: 'it holds no checksum',
    });
  });

  it('a good line for this file wins over a malformed one elsewhere, with a note', () => {
    const pick = pickSidecarEntry(`garbage\n${A}  psl.bin\n`, ['psl.bin']);
    expect(pick).toMatchObject({ ok: true, sha256: A });
    expect(pick.ok && pick.note).toMatch(/1 other line\(s\) ignored/);
  });
});

describe('--sha256', () => {
  it('takes 64 hex digits in either case, with an optional sha256: prefix', () => {
    expect(parseSha256Option(` ${A.toUpperCase()} `)).toBe(A);
    expect(parseSha256Option(`sha256:${B}`)).toBe(B);
  });

  it('refuses anything else with exit 2, naming a hash of another kind', () => {
    expect(() => parseSha256Option('d'.repeat(40))).toThrow(
      /Got 40 character\(s\), the length of a SHA-1 hash/,
    );
    expect(() => parseSha256Option('xyz')).toThrow(/not all of them hexadecimal/);
    const error = (() => {
      try {
        parseSha256Option('');
        return null;
      } catch (e) {
        return e as ImageError;
      }
    })();
    expect(error?.exitCode).toBe(2);
    expect(error?.message).toMatch(/Got 0 character/);
  });
});

describe('finding the expected checksum', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());
  const at = (name: string): string => join(dir.path, name);

  it('is null without --sha256 and without a sidecar', async () => {
    expect(
      await findExpectedChecksum({ path: at('none.bin'), realPath: at('none.bin') }),
    ).toBeNull();
  });

  it('reads <image>.sha256 when present', async () => {
    writeFileSync(at('psl.bin.sha256'), `${A}  psl.bin\n`);
    const expected = await findExpectedChecksum({ path: at('psl.bin'), realPath: at('psl.bin') });
    expect(expected).toEqual({
      sha256: A,
      source: 'sidecar',
      sidecarPath: at('psl.bin.sha256'),
      note: null,
    });
  });

  it('prefers --sha256 and then does not read the sidecar at all', async () => {
    writeFileSync(at('broken.bin.sha256'), 'garbage');
    const expected = await findExpectedChecksum(
      { path: at('broken.bin'), realPath: at('broken.bin') },
      B,
    );
    expect(expected).toMatchObject({ sha256: B, source: 'option', sidecarPath: null });
  });

  it('refuses a malformed sidecar (exit 2) and says how to proceed', async () => {
    const error = await findExpectedChecksum({
      path: at('broken.bin'),
      realPath: at('broken.bin'),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageError);
    expect((error as ImageError).problem).toBe('sidecar');
    expect((error as ImageError).message).toMatch(
      /broken\.bin\.sha256 cannot be used: line 1 is not a sha256sum line/,
    );
    expect((error as ImageError).fix).toMatch(/--sha256 HEX/);
  });

  it('refuses a sidecar that is not a regular file, without opening it', async () => {
    mkdirSync(at('dir.bin.sha256'));
    await expect(
      findExpectedChecksum({ path: at('dir.bin'), realPath: at('dir.bin') }),
    ).rejects.toThrow(/not a regular file/);
  });

  it('looks next to the link target when the link has no sidecar', async () => {
    mkdirSync(at('store'));
    writeFileSync(at('store/v3.bin.sha256'), `${C}  v3.bin\n`);
    symlinkSync(at('store/v3.bin'), at('current.bin'));
    const expected = await findExpectedChecksum({
      path: at('current.bin'),
      realPath: at('store/v3.bin'),
    });
    expect(expected).toMatchObject({ sha256: C, sidecarPath: at('store/v3.bin.sha256') });
  });
});

describe('comparing', () => {
  const file = Buffer.from('the whole file');
  const fileSha256 = createHash('sha256').update(file).digest('hex');
  const payloadSha256 = createHash('sha256').update(file.subarray(4)).digest('hex');
  const option = (sha256: string) => ({
    sha256,
    source: 'option' as const,
    sidecarPath: null,
    note: null,
  });

  it('matches the whole file, as sha256sum users expect', () => {
    const image = { fileSha256, payloadSha256: fileSha256, embeddedHeader: null };
    expect(compareChecksum(image, option(fileSha256))).toMatchObject({
      status: 'match',
      matched: 'file',
    });
  });

  it('accepts the payload hash only when a header was stripped, and says so', () => {
    const header = { version: 1 } as never;
    expect(
      compareChecksum({ fileSha256, payloadSha256, embeddedHeader: header }, option(payloadSha256)),
    ).toMatchObject({ status: 'match', matched: 'payload' });
    expect(
      compareChecksum({ fileSha256, payloadSha256, embeddedHeader: null }, option(payloadSha256)),
    ).toMatchObject({ status: 'mismatch', matched: null });
  });

  it('is not-checked without an expected hash', () => {
    expect(compareChecksum({ fileSha256, payloadSha256, embeddedHeader: null }, null).status).toBe(
      'not-checked',
    );
  });
});

describe('a sidecar of garbage (1 MiB)', () => {
  it('gives a message of a few lines, not one per garbage line', () => {
    const garbage = 'x\n'.repeat(512 * 1024);
    const pick = pickSidecarEntry(garbage, ['psl.bin']);
    expect(pick.ok).toBe(false);
    if (pick.ok) return;
    expect(pick.reason.length).toBeLessThan(400);
    expect(pick.reason).toMatch(/line 1 is not a sha256sum line/);
    expect(pick.reason).toMatch(/524,285 more/);
  });

  it('caps a list of matching lines too', () => {
    const A = 'a'.repeat(64);
    const B = 'b'.repeat(64);
    const lines = Array.from({ length: 20_000 }, (_, i) => `${i % 2 ? A : B}  psl.bin`).join('\n');
    const pick = pickSidecarEntry(lines, ['psl.bin']);
    expect(pick.ok).toBe(false);
    if (!pick.ok) expect(pick.reason.length).toBeLessThan(400);
  });
});

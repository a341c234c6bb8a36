/**
 * The expected SHA-256 of an image (from `--sha256 HEX` or a `<image>.sha256` sidecar) and its
 * comparison with what was read. `sha256sum` users hash the FILE, so the expected hash is
 * compared with the whole file's hash; when the file carries its own header, a hash of just the
 * payload (the bytes flashed) is accepted too, and the report says which one matched.
 */
import type { Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { ExitCode, UserFacingError } from '../exit-codes.js';
import { ImageError } from './load-errors.js';
import type { LoadedImage } from './load.js';
import { OTHER_HASH_KINDS, pickSidecarEntry } from './sidecar.js';
import { shown } from '../terminal-text.js';

/** A sidecar larger than this is not a checksum file. */
export const MAX_SIDECAR_SIZE = 1024 * 1024;

export interface ExpectedChecksum {
  /** lower-case hex */
  readonly sha256: string;
  readonly source: 'option' | 'sidecar';
  readonly sidecarPath: string | null;
  /** something worth telling about how it was found (another name, ignored lines) */
  readonly note: string | null;
}

export type ChecksumStatus = 'match' | 'mismatch' | 'not-checked';

export interface ChecksumCheck {
  readonly status: ChecksumStatus;
  readonly expected: ExpectedChecksum | null;
  /** which hash equals the expected one: the whole file's, or the payload's after a header */
  readonly matched: 'file' | 'payload' | null;
  readonly fileSha256: string;
  readonly payloadSha256: string;
}

/** Validate `--sha256 HEX`; exit 2 with a message when it is not 64 hex digits. */
export function parseSha256Option(value: string): string {
  const hex = value.trim().replace(/^sha256:/i, '');
  if (/^[0-9a-fA-F]{64}$/.test(hex)) return hex.toLowerCase();
  const allHex = /^[0-9a-fA-F]+$/.test(hex);
  const kind = allHex ? OTHER_HASH_KINDS[hex.length] : undefined;
  const detail = kind
    ? `, the length of ${kind} hash`
    : hex.length > 0 && !allHex
      ? ', not all of them hexadecimal digits'
      : '';
  throw new UserFacingError(
    `--sha256 expects a SHA-256: 64 hexadecimal digits. Got ${hex.length} character(s)${detail}.`,
    ExitCode.BadInput,
    'Pass the SHA-256 published with the image (`sha256sum IMAGE` computes one to compare).',
  );
}

function sidecarError(path: string, reason: string): ImageError {
  return new ImageError(
    'sidecar',
    `The checksum file ${shown(path)} cannot be used: ${reason}. A checksum file next to the image means it is to be verified, so the image is not used unverified.`,
    `Pass the SHA-256 published with the image with --sha256 HEX (it takes precedence over ${shown(path)}), or correct ${shown(path)} to the sha256sum format: \`<64 hex digits>  <file name>\`.`,
  );
}

async function statSidecar(path: string): Promise<Stats | null> {
  try {
    return await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw sidecarError(path, `it cannot be read (${code ?? String(error)})`);
  }
}

/** Read and interpret `<path>.sha256`; null when there is none. */
async function readSidecar(
  path: string,
  names: readonly string[],
): Promise<ExpectedChecksum | null> {
  const st = await statSidecar(path);
  if (st === null) return null;
  // Never open anything but a regular file: a FIFO would block the program.
  if (!st.isFile()) throw sidecarError(path, 'it is not a regular file');
  if (st.size > MAX_SIDECAR_SIZE) throw sidecarError(path, 'it is larger than 1 MiB');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw sidecarError(path, `it cannot be read (${code ?? String(error)})`);
  }
  const pick = pickSidecarEntry(text, names);
  if (!pick.ok) throw sidecarError(path, pick.reason);
  return { sha256: pick.sha256, source: 'sidecar', sidecarPath: path, note: pick.note };
}

/**
 * The expected checksum: `--sha256` when given (the sidecar is then not read), else the sidecar
 * `<path>.sha256`, else, for a symbolic link, the sidecar next to the file it points to.
 * A sidecar that exists but cannot be used is an error (exit 2), never silently skipped.
 */
export async function findExpectedChecksum(
  image: Pick<LoadedImage, 'path' | 'realPath'>,
  optionHex?: string,
): Promise<ExpectedChecksum | null> {
  if (optionHex !== undefined) {
    return {
      sha256: parseSha256Option(optionHex),
      source: 'option',
      sidecarPath: null,
      note: null,
    };
  }
  const names = [image.path, image.realPath];
  const beside = await readSidecar(`${image.path}.sha256`, names);
  if (beside !== null || image.realPath === image.path) return beside;
  return readSidecar(`${image.realPath}.sha256`, names);
}

/** Compare the expected checksum with the image's hashes. Pure. */
export function compareChecksum(
  image: Pick<LoadedImage, 'fileSha256' | 'payloadSha256' | 'embeddedHeader'>,
  expected: ExpectedChecksum | null,
): ChecksumCheck {
  const base = { expected, fileSha256: image.fileSha256, payloadSha256: image.payloadSha256 };
  if (expected === null) return { ...base, status: 'not-checked', matched: null };
  if (expected.sha256 === image.fileSha256) return { ...base, status: 'match', matched: 'file' };
  if (image.embeddedHeader !== null && expected.sha256 === image.payloadSha256) {
    return { ...base, status: 'match', matched: 'payload' };
  }
  return { ...base, status: 'mismatch', matched: null };
}

/** Where the expected hash came from, in words. */
export function describeSource(expected: ExpectedChecksum): string {
  return expected.source === 'option' ? '--sha256' : (expected.sidecarPath ?? 'the sidecar');
}

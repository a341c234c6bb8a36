/**
 * Turn a path into the in-memory image the engine flashes. The whole file is read before any
 * device is opened, because nothing may touch the disk between two ioctls (docs/kernel-contract.md §6).
 * It is hashed in the same pass, and refused with exit code 2 when it is not a regular file, is
 * missing, empty, unreadable, too large, or changes while it is read.
 */
import { createHash, type Hash } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { lstat, open, readlink, realpath, stat, type FileHandle } from 'node:fs/promises';
import { CXL_AI_HEADER_SIZE, CXL_AI_OVERREAD } from '../ioctl/abi.js';
import { checkEmbeddedHeader, type DecodedHeader } from './header.js';
import {
  changedWhileReadingError,
  danglingLinkError,
  emptyImageError,
  imageErrorFromErrno,
  inconsistentHeaderError,
  notRegularFileError,
  outOfMemoryError,
  tooLargeError,
} from './load-errors.js';
import { groupDigits } from './units.js';

/**
 * The largest image accepted: 256 MiB. CAPI adapter images are tens of MiB (a full PSL + AFU
 * bitstream for the largest CAPI FPGAs stays well under 100 MiB), so a bigger file is almost
 * certainly the wrong file; and the whole image lives in memory while it is flashed, so the
 * limit also bounds the memory the program takes. At the limit a pass is 257 ioctls (§4.8).
 */
export const MAX_IMAGE_SIZE = 256 * 1024 * 1024;

/** Reads are this large, straight into the image buffer (no copies). */
export const READ_CHUNK_SIZE = 8 * 1024 * 1024;

export interface LoadImageOptions {
  /** called after every read with the bytes read so far and the file size (for a progress bar) */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** bytes per read; tests use small reads to act between them */
  readChunkSize?: number;
  /** the size limit; defaults to MAX_IMAGE_SIZE, which no caller may raise */
  maxSize?: number;
}

export interface LoadedImage {
  /** the path as given */
  readonly path: string;
  /** the file it resolves to (symbolic links followed) */
  readonly realPath: string;
  readonly fileSize: number;
  readonly modifiedMs: number;
  /** SHA-256 of the whole file, as `sha256sum` computes it (lower-case hex) */
  readonly fileSha256: string;
  /** the header the file itself begins with, which is stripped; null for a raw image */
  readonly embeddedHeader: DecodedHeader | null;
  /** its 128 bytes as found in the file (for display); null for a raw image */
  readonly embeddedHeaderBytes: Buffer | null;
  /** where the payload starts in the file: 128 after an embedded header, else 0 */
  readonly payloadOffset: number;
  /** exactly the bytes to flash; `len_image` is its length (§1) */
  readonly payload: Buffer;
  /** SHA-256 of the payload; equals `fileSha256` when there is no embedded header */
  readonly payloadSha256: string;
  /**
   * The same memory as `payload`, followed by 128 zero bytes, so that `padded.subarray(offset)`
   * is always readable for the driver's small-first-chunk over-read (§3).
   */
  readonly padded: Buffer;
}

function errnoOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

type FileKind = 'file' | 'directory' | 'fifo' | 'character-device' | 'block-device' | 'socket';

function kindOf(st: Stats): FileKind | 'not-regular' {
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'directory';
  if (st.isFIFO()) return 'fifo';
  if (st.isCharacterDevice()) return 'character-device';
  if (st.isBlockDevice()) return 'block-device';
  if (st.isSocket()) return 'socket';
  return 'not-regular';
}

/** stat (following links) and refuse anything but a regular file, before it is ever opened. */
async function statRegularFile(path: string): Promise<Stats> {
  let st: Stats;
  try {
    st = await stat(path);
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') {
      const link = await lstat(path).catch(() => null);
      if (link?.isSymbolicLink()) {
        throw danglingLinkError(path, await readlink(path).catch(() => '?'));
      }
    }
    throw imageErrorFromErrno(errnoOf(error), path, messageOf(error));
  }
  const kind = kindOf(st);
  if (kind !== 'file') throw notRegularFileError(kind, path);
  return st;
}

async function openChecked(path: string, before: Stats): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    // O_NONBLOCK: if a FIFO replaced the file since stat, open returns at once instead of
    // waiting for a writer; fstat below then refuses it.
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (error) {
    throw imageErrorFromErrno(errnoOf(error), path, messageOf(error));
  }
  try {
    const st = await handle.stat();
    const kind = kindOf(st);
    if (kind !== 'file') throw notRegularFileError(kind, path);
    if (st.ino !== before.ino || st.dev !== before.dev) {
      throw changedWhileReadingError(path, 'it was replaced by another file while being opened');
    }
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** A positional read whose errno (EIO, ...) becomes a refusal with a message. */
async function readAt(
  handle: FileHandle,
  path: string,
  buffer: Buffer,
  offset: number,
  length: number,
  position: number,
): Promise<number> {
  try {
    return (await handle.read(buffer, offset, length, position)).bytesRead;
  } catch (error) {
    throw imageErrorFromErrno(errnoOf(error), path, messageOf(error));
  }
}

interface ReadResult {
  readonly fileSha256: string;
  readonly payloadSha256: string | null;
  readonly embeddedHeader: DecodedHeader | null;
}

/** Read `size` bytes into `buffer` in large chunks, hashing as it goes (one pass). */
async function readAndHash(
  handle: FileHandle,
  path: string,
  buffer: Buffer,
  size: number,
  options: LoadImageOptions,
): Promise<ReadResult> {
  const chunk = options.readChunkSize ?? READ_CHUNK_SIZE;
  if (!Number.isSafeInteger(chunk) || chunk <= 0) {
    throw new RangeError(`readChunkSize must be a positive integer, got ${chunk}`);
  }
  const fileHash = createHash('sha256');
  let payloadHash: Hash | null = null;
  let embeddedHeader: DecodedHeader | null = null;
  let classified = false;
  let done = 0;
  while (done < size) {
    const bytesRead = await readAt(handle, path, buffer, done, Math.min(chunk, size - done), done);
    if (bytesRead === 0) {
      throw changedWhileReadingError(
        path,
        `it shrank: ${groupDigits(size)} bytes were expected, the file ended after ${groupDigits(done)}`,
      );
    }
    const piece = buffer.subarray(done, done + bytesRead);
    fileHash.update(piece);
    payloadHash?.update(piece);
    done += bytesRead;
    if (!classified && done >= Math.min(size, CXL_AI_HEADER_SIZE)) {
      classified = true;
      const check = checkEmbeddedHeader(buffer.subarray(0, done), size);
      if (check.kind === 'inconsistent') {
        throw inconsistentHeaderError(
          path,
          check.problem,
          check.header.imageLength,
          size - CXL_AI_HEADER_SIZE,
          check.header.nonZeroReserved,
        );
      }
      if (check.kind === 'header') {
        embeddedHeader = check.header;
        payloadHash = createHash('sha256').update(buffer.subarray(CXL_AI_HEADER_SIZE, done));
      }
    }
    options.onProgress?.(done, size);
  }
  return {
    fileSha256: fileHash.digest('hex'),
    payloadSha256: payloadHash?.digest('hex') ?? null,
    embeddedHeader,
  };
}

/** Compare what was read with the file as it is now: same size, no bytes past the end, same mtime. */
async function assertUnchanged(handle: FileHandle, path: string, before: Stats): Promise<void> {
  const probe = Buffer.alloc(1);
  const bytesRead = await readAt(handle, path, probe, 0, 1, before.size);
  const after = await handle.stat();
  if (bytesRead > 0 || after.size > before.size) {
    throw changedWhileReadingError(
      path,
      `it grew from ${groupDigits(before.size)} to ${groupDigits(Math.max(after.size, before.size + bytesRead))} bytes`,
    );
  }
  if (after.size < before.size) {
    throw changedWhileReadingError(
      path,
      `it shrank from ${groupDigits(before.size)} to ${groupDigits(after.size)} bytes`,
    );
  }
  if (after.mtimeMs !== before.mtimeMs) {
    throw changedWhileReadingError(path, 'it was modified in place; its size stayed the same');
  }
}

/** Load, check and hash the image at `path`. Throws an ImageError (exit 2) on bad input. */
export async function loadImage(
  path: string,
  options: LoadImageOptions = {},
): Promise<LoadedImage> {
  const initial = await statRegularFile(path);
  const handle = await openChecked(path, initial);
  try {
    const before = await handle.stat();
    const size = before.size;
    if (size === 0) throw emptyImageError(path);
    const limit = Math.min(options.maxSize ?? MAX_IMAGE_SIZE, MAX_IMAGE_SIZE);
    if (size > limit) throw tooLargeError(path, size, limit);

    // One allocation: the file, then the 128 readable zero bytes the driver may over-read (§3).
    // Shared memory, so the device thread reads these very bytes: never a copy per call.
    let buffer: Buffer;
    try {
      buffer = Buffer.from(new SharedArrayBuffer(size + CXL_AI_OVERREAD));
    } catch {
      throw outOfMemoryError(path, size);
    }
    const read = await readAndHash(handle, path, buffer, size, options);
    await assertUnchanged(handle, path, before);
    buffer.fill(0, size);

    const payloadOffset = read.embeddedHeader ? CXL_AI_HEADER_SIZE : 0;
    return {
      path,
      realPath: await realpath(path).catch(() => path),
      fileSize: size,
      modifiedMs: before.mtimeMs,
      fileSha256: read.fileSha256,
      embeddedHeader: read.embeddedHeader,
      embeddedHeaderBytes: read.embeddedHeader ? buffer.subarray(0, CXL_AI_HEADER_SIZE) : null,
      payloadOffset,
      payload: buffer.subarray(payloadOffset, size),
      payloadSha256: read.payloadSha256 ?? read.fileSha256,
      padded: buffer.subarray(payloadOffset, size + CXL_AI_OVERREAD),
    };
  } finally {
    await handle.close();
  }
}

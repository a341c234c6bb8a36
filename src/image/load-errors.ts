/**
 * Every way an image path can be refused, as a UserFacingError with exit code 2: a message that
 * names the problem and a fix. Nothing here touches the file system.
 */
import { ExitCode, UserFacingError } from '../exit-codes.js';
import { formatBytes, groupDigits } from './units.js';
import { shown } from '../terminal-text.js';

export type ImageProblem =
  | 'missing'
  | 'dangling-link'
  | 'not-a-directory'
  | 'permission'
  | 'link-loop'
  | 'name-too-long'
  | 'io-error'
  | 'directory'
  | 'fifo'
  | 'character-device'
  | 'block-device'
  | 'socket'
  | 'not-regular'
  | 'empty'
  | 'too-large'
  | 'changed'
  | 'out-of-memory'
  | 'header-without-image'
  | 'header-length'
  | 'header-reserved'
  | 'sidecar'
  | 'unreadable';

/** A refusal of the image, with a stable `problem` code for tests and the JSON output. */
export class ImageError extends UserFacingError {
  constructor(
    readonly problem: ImageProblem,
    message: string,
    fix: string,
  ) {
    super(message, ExitCode.BadInput, fix);
    this.name = 'ImageError';
  }
}

const NOT_A_FILE_FIX =
  'Save the image to a regular file first (the whole image is read into memory and its size must be known before the adapter is touched), then pass that file.';

/** The refusal for an errno from stat/open/read on the image path. */
export function imageErrorFromErrno(
  code: string | undefined,
  path: string,
  detail: string,
): ImageError {
  switch (code) {
    case 'ENOENT':
      return new ImageError(
        'missing',
        `Image not found: ${shown(path)} does not exist.`,
        `Check the path; a relative path is taken from the current directory (${shown(process.cwd())}).`,
      );
    case 'ENOTDIR':
      return new ImageError(
        'not-a-directory',
        `Image not found: a part of ${shown(path)} before the file name is a file, not a directory.`,
        'Check the path: one of its folders is misspelt or is a file.',
      );
    case 'EACCES':
    case 'EPERM':
      return new ImageError(
        'permission',
        `Cannot read the image ${shown(path)}: permission denied.`,
        'Check the file and its folders with `ls -l` and `namei -l`, or run as a user that may read it (flashing needs root anyway).',
      );
    case 'ELOOP':
      return new ImageError(
        'link-loop',
        `Cannot open the image ${shown(path)}: its symbolic links form a loop.`,
        'Point the path at the image file itself (`readlink -f` shows where the links lead).',
      );
    case 'ENAMETOOLONG':
      return new ImageError(
        'name-too-long',
        `Cannot open the image: the path is too long for the file system (${path.length} characters).`,
        'Move or link the image to a shorter path.',
      );
    case 'EIO':
      return new ImageError(
        'io-error',
        `The disk or file system reported an I/O error while reading ${shown(path)}.`,
        'Copy the image from a healthy source to a local disk and try again; check `dmesg` for the failing device.',
      );
    default:
      return new ImageError(
        'unreadable',
        `Cannot read the image ${shown(path)}: ${detail}${code ? ` (${code})` : ''}.`,
        'Check that the path names a readable image file on a local disk.',
      );
  }
}

/** The refusal for a path that exists but is not a regular file. */
export function notRegularFileError(
  kind: 'directory' | 'fifo' | 'character-device' | 'block-device' | 'socket' | 'not-regular',
  path: string,
): ImageError {
  switch (kind) {
    case 'directory':
      return new ImageError(
        'directory',
        `${shown(path)} is a directory, not an image file.`,
        `Name the image file inside it, e.g. ${path.replace(/\/+$/, '')}/<image>.bin.`,
      );
    case 'fifo':
      return new ImageError(
        'fifo',
        `${shown(path)} is a named pipe (FIFO), not an image file; it was not opened.`,
        NOT_A_FILE_FIX,
      );
    case 'character-device':
      return new ImageError(
        'character-device',
        `${shown(path)} is a character device, not an image file; it was not opened.`,
        NOT_A_FILE_FIX,
      );
    case 'block-device':
      return new ImageError(
        'block-device',
        `${shown(path)} is a block device (a disk or partition), not an image file; it was not opened.`,
        NOT_A_FILE_FIX,
      );
    case 'socket':
      return new ImageError(
        'socket',
        `${shown(path)} is a socket, not an image file; it was not opened.`,
        NOT_A_FILE_FIX,
      );
    default:
      return new ImageError('not-regular', `${shown(path)} is not a regular file.`, NOT_A_FILE_FIX);
  }
}

export function danglingLinkError(path: string, target: string): ImageError {
  return new ImageError(
    'dangling-link',
    `Image not found: ${shown(path)} is a symbolic link to ${shown(target)}, which does not exist.`,
    'Fix the link or pass the image file itself.',
  );
}

export function emptyImageError(path: string): ImageError {
  return new ImageError(
    'empty',
    `${shown(path)} is empty (0 bytes). A download erases the adapter's image before programming the new one, so an empty image would leave nothing valid.`,
    'The copy or download of the image probably failed: fetch it again and check its size and checksum.',
  );
}

export function tooLargeError(path: string, size: number, limit: number): ImageError {
  return new ImageError(
    'too-large',
    `${shown(path)} is ${formatBytes(size)}, larger than the limit of ${formatBytes(limit)}. CAPI adapter images are tens of MiB, so this is probably not an adapter image (a disk image or an archive?).`,
    'Check that you picked the right file; the limit also bounds the memory the whole image takes while it is flashed.',
  );
}

export function outOfMemoryError(path: string, size: number): ImageError {
  return new ImageError(
    'out-of-memory',
    `There is not enough free memory to hold ${shown(path)} (${formatBytes(size)}): the whole image must be in memory before the adapter is touched.`,
    'Free memory (stop other large programs) and run again; `free -m` shows what is available.',
  );
}

export function changedWhileReadingError(path: string, what: string): ImageError {
  return new ImageError(
    'changed',
    `${shown(path)} changed while it was being read (${what}): something is still writing it.`,
    'Wait until the copy or download has finished (and check its checksum), then run again.',
  );
}

/** The file starts like a header (version 1, image_offset 128) that cannot be stripped safely. */
export function inconsistentHeaderError(
  path: string,
  problem: 'no-payload' | 'length' | 'reserved',
  declaredLength: bigint,
  bytesAfterHeader: number,
  nonZeroReserved: readonly number[],
): ImageError {
  const start = `${shown(path)} begins with a CAPI image header (version 1, image_offset 128)`;
  if (problem === 'no-payload') {
    return new ImageError(
      'header-without-image',
      `${start} and nothing after it: there is no image to flash.`,
      'The image data is missing: fetch the complete image again.',
    );
  }
  if (problem === 'length') {
    const after = BigInt(bytesAfterHeader);
    const detail =
      after < declaredLength
        ? `the file is truncated: ${groupDigits(Number(declaredLength - after))} bytes are missing`
        : `the file has ${groupDigits(Number(after - declaredLength))} extra bytes at the end`;
    return new ImageError(
      'header-length',
      `${start} that declares an image of ${groupDigits(Number(declaredLength))} bytes, but ${groupDigits(bytesAfterHeader)} bytes follow it: ${detail}.`,
      after < declaredLength
        ? 'Fetch the complete image again and check its checksum.'
        : 'Get a clean copy of the image; data was appended to it.',
    );
  }
  const offsets = nonZeroReserved.slice(0, 8).join(', ');
  return new ImageError(
    'header-reserved',
    `${start}, but its reserved bytes are not zero (offsets ${offsets}${nonZeroReserved.length > 8 ? ', ...' : ''}), so it is not the header the kernel builds. Stripping it or flashing it whole (the adapter would receive two headers) would both be guesses.`,
    'If the first 128 bytes are a header written by another tool, remove them (e.g. `tail -c +129 IMAGE > IMAGE.raw`) and flash the result; otherwise ask the image supplier.',
  );
}

/**
 * Files that are certainly not an FPGA image: archives and compressed data, executables,
 * documents, web pages, text (Intel HEX, S-records, ASCII bitstreams), and a file of one
 * repeated byte (a placeholder, an erased flash dump, a failed preallocated download).
 * Each is recognised by a signature strong enough that a bitstream never carries it by chance.
 */
import { groupDigits } from './units.js';

export interface NonImage {
  /** what the file is, as a noun phrase: `gzip-compressed`, `a ZIP archive` */
  readonly what: string;
  readonly evidence: string;
  readonly fix: string;
}

interface Signature {
  readonly what: string;
  readonly fix: string;
  readonly test: (b: Buffer) => boolean;
}

const starts = (b: Buffer, bytes: readonly number[], at = 0): boolean =>
  b.length >= at + bytes.length && bytes.every((v, i) => b[at + i] === v);
const startsText = (b: Buffer, text: string): boolean =>
  b.subarray(0, 64).toString('latin1').trimStart().toLowerCase().startsWith(text.toLowerCase());

const SIGNATURES: readonly Signature[] = [
  {
    what: 'gzip-compressed',
    fix: 'Decompress it (`gunzip -k FILE`) and pass the image inside.',
    test: (b) => starts(b, [0x1f, 0x8b, 0x08]),
  },
  {
    what: 'xz-compressed',
    fix: 'Decompress it (`unxz -k FILE`) and pass the image inside.',
    test: (b) => starts(b, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]),
  },
  {
    what: 'bzip2-compressed',
    fix: 'Decompress it (`bunzip2 -k FILE`) and pass the image inside.',
    test: (b) =>
      starts(b, [0x42, 0x5a, 0x68]) && starts(b, [0x31, 0x41, 0x59, 0x26, 0x53, 0x59], 4),
  },
  {
    what: 'zstd-compressed',
    fix: 'Decompress it (`unzstd FILE`) and pass the image inside.',
    test: (b) => starts(b, [0x28, 0xb5, 0x2f, 0xfd]),
  },
  {
    what: 'a ZIP archive',
    fix: 'Extract the image from the archive and pass that file.',
    test: (b) => starts(b, [0x50, 0x4b, 0x03, 0x04]),
  },
  {
    what: 'a tar archive',
    fix: 'Extract the image from the archive (`tar -xf FILE`) and pass that file.',
    test: (b) => b.subarray(257, 262).toString('latin1') === 'ustar',
  },
  {
    what: 'an executable (ELF)',
    fix: 'Pass the adapter image, not a program.',
    test: (b) => starts(b, [0x7f, 0x45, 0x4c, 0x46]),
  },
  {
    what: 'a PDF document',
    fix: 'Pass the adapter image itself.',
    test: (b) => starts(b, [0x25, 0x50, 0x44, 0x46, 0x2d]),
  },
  {
    what: 'a Xilinx ASCII bitstream (.rbt)',
    fix: 'Flash the binary form of the bitstream (.bin) instead.',
    test: (b) => startsText(b, 'Xilinx ASCII Bitstream'),
  },
  {
    what: 'a web page (HTML), probably an error page saved by a failed download',
    fix: 'Download the image again and check its checksum.',
    test: (b) => startsText(b, '<!doctype html') || startsText(b, '<html'),
  },
];

/** Text: printable ASCII, tabs and line ends, or valid UTF-8, in the first 4 KiB. */
function looksLikeText(b: Buffer): boolean {
  const head = b.subarray(0, 4096);
  if (head.length === 0) return false;
  for (const byte of head) {
    if (byte === 0x09 || byte === 0x0a || byte === 0x0d) continue;
    if (byte < 0x20 || byte === 0x7f) return false;
  }
  return !head.toString('utf8').includes('\ufffd');
}

function textKind(b: Buffer): string {
  const first = b.subarray(0, 256).toString('latin1').trimStart();
  if (/^:[0-9A-Fa-f]{10}/.test(first)) return 'Intel HEX text (.mcs/.hex)';
  if (/^S[0-9][0-9A-Fa-f]{8}/.test(first)) return 'Motorola S-record text (.srec)';
  return 'text';
}

/** The single byte value the whole payload consists of, or null. */
function uniformByte(b: Buffer): number | null {
  const first = b[0];
  if (first === undefined) return null;
  const block = Buffer.alloc(Math.min(b.length, 64 * 1024), first);
  for (let at = 0; at < b.length; at += block.length) {
    const piece = b.subarray(at, at + block.length);
    if (!piece.equals(block.subarray(0, piece.length))) return null;
  }
  return first;
}

/** What the payload certainly is instead of an FPGA image, or null. */
export function recogniseNonImage(payload: Buffer): NonImage | null {
  for (const signature of SIGNATURES) {
    if (signature.test(payload)) {
      return { what: signature.what, evidence: 'recognised by its signature', fix: signature.fix };
    }
  }
  const uniform = uniformByte(payload);
  if (uniform !== null) {
    const hex = `0x${uniform.toString(16).padStart(2, '0').toUpperCase()}`;
    return {
      what: `${groupDigits(payload.length)} bytes of ${hex} and nothing else`,
      evidence: `every byte is ${hex}`,
      fix: 'This is a placeholder, an erased flash dump or a failed download: fetch the image again and check its checksum.',
    };
  }
  if (looksLikeText(payload)) {
    return {
      what: textKind(payload),
      evidence: 'the first 4 KiB are printable text',
      fix: 'Pass the binary image your adapter vendor ships for flashing (a .bin or .rbf file).',
    };
  }
  return null;
}

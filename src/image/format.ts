/**
 * What kind of file the payload looks like, for display and as a sanity check. The kernel does
 * not care (it sends whatever bytes it is given), so an unrecognised format is only a warning;
 * a file that is certainly not an FPGA image (an archive, text, an executable, a file of one
 * repeated byte) is refused, because download erases the adapter's image first (§4.2).
 *
 * Xilinx: a `.bit` file starts with a fixed 13-byte preamble and key/length/value fields
 * (a design, b part, c date, d time, e bitstream length); the configuration data itself, `.bit`
 * or raw `.bin`, contains the sync word 0xAA995566, after the bus-width pattern
 * 0x000000BB 0x11220044 and padding. Intel/Altera raw binary (`.rbf`) has no signature at all
 * (tools such as openFPGALoader read it as plain bytes); it begins with 0xFF padding, so it can
 * only be guessed, from that padding, the absence of a Xilinx sync word, and the file name.
 */
import { extname } from 'node:path';
import { recogniseNonImage } from './not-an-image.js';
import { groupDigits } from './units.js';

export type FormatKind =
  'xilinx-bit' | 'xilinx-bin' | 'intel-raw-binary' | 'not-an-image' | 'unknown';

export interface FormatSniff {
  readonly kind: FormatKind;
  readonly label: string;
  /** certain: a signature; likely: two independent hints; guess: one hint; none: unknown */
  readonly confidence: 'certain' | 'likely' | 'guess' | 'none';
  /** what the verdict rests on, in words */
  readonly evidence: string;
  /** fields read from the file (a .bit file's design, part, date...; the sync word offset) */
  readonly details: Readonly<Record<string, string | number>>;
  readonly warnings: readonly string[];
  /** set for `not-an-image`: why the file is refused, and what to do */
  readonly refusal: { readonly message: string; readonly fix: string } | null;
}

const BIT_PREAMBLE = Buffer.from([
  0x00, 0x09, 0x0f, 0xf0, 0x0f, 0xf0, 0x0f, 0xf0, 0x0f, 0xf0, 0x00, 0x00, 0x01,
]);
const SYNC_WORD = Buffer.from([0xaa, 0x99, 0x55, 0x66]);
/** the sync word with the bit order of every byte reversed */
const SYNC_WORD_BIT_REVERSED = Buffer.from([0x55, 0x99, 0xaa, 0x66]);
const BUS_WIDTH_PATTERN = Buffer.from([0x00, 0x00, 0x00, 0xbb, 0x11, 0x22, 0x00, 0x44]);
/** how far into the payload the sync word is looked for */
export const SYNC_SEARCH_LIMIT = 1024 * 1024;
/** leading 0xFF bytes taken as configuration padding */
const PADDING_RUN = 32;

const starts = (b: Buffer, bytes: readonly number[]): boolean =>
  b.length >= bytes.length && bytes.every((v, i) => b[i] === v);

interface BitHeader {
  readonly fields: Record<string, string | number>;
  readonly dataOffset: number;
  readonly dataLength: number;
}

const BIT_KEYS: Record<string, string> = { a: 'design', b: 'part', c: 'date', d: 'time' };

/** The .bit key/length/value fields after the preamble; null if they do not parse. */
function parseBitHeader(b: Buffer): BitHeader | null {
  let at = BIT_PREAMBLE.length;
  const fields: Record<string, string | number> = {};
  for (let guard = 0; guard < 16 && at < b.length; guard++) {
    const key = String.fromCharCode(b[at++] ?? 0);
    if (key === 'e') {
      if (at + 4 > b.length) return null;
      const dataLength = b.readUInt32BE(at);
      fields.bitstreamLength = dataLength;
      return { fields, dataOffset: at + 4, dataLength };
    }
    if (!(key in BIT_KEYS) || at + 2 > b.length) return null;
    const length = b.readUInt16BE(at);
    at += 2;
    if (at + length > b.length) return null;
    fields[BIT_KEYS[key] as string] = b
      .subarray(at, at + length)
      .toString('latin1')
      .replace(/\0+$/, '');
    at += length;
  }
  return null;
}

function syncSearch(b: Buffer): { offset: number; reversed: boolean; busWidth: boolean } | null {
  const head = b.subarray(0, SYNC_SEARCH_LIMIT);
  const offset = head.indexOf(SYNC_WORD);
  if (offset >= 0) {
    const busWidth = head.subarray(0, offset).indexOf(BUS_WIDTH_PATTERN) >= 0;
    return { offset, reversed: false, busWidth };
  }
  const reversed = head.indexOf(SYNC_WORD_BIT_REVERSED);
  return reversed >= 0 ? { offset: reversed, reversed: true, busWidth: false } : null;
}

function refuse(label: string, evidence: string, fix: string): FormatSniff {
  return {
    kind: 'not-an-image',
    label,
    confidence: 'certain',
    evidence,
    details: {},
    warnings: [],
    refusal: { message: `The image is ${label}, not an FPGA image (${evidence}).`, fix },
  };
}

function sniffXilinx(b: Buffer): FormatSniff | null {
  const sync = syncSearch(b);
  const syncDetails: Record<string, number> = sync ? { syncWordOffset: sync.offset } : {};
  const syncWarning = sync?.reversed
    ? [
        `The sync word appears with the bit order of every byte reversed (0x5599AA66 at byte ${groupDigits(sync.offset)}): this file is prepared for a loader that reverses bits; check it is the form your adapter's flash expects.`,
      ]
    : [];
  if (starts(b, [...BIT_PREAMBLE])) {
    const header = parseBitHeader(b);
    const warnings = [
      'This is a .bit file: a Xilinx metadata header precedes the bitstream and is flashed with it. CAPI flash images for Xilinx adapters are normally the raw .bin file; check this is the file your adapter vendor ships for flashing.',
      ...syncWarning,
    ];
    if (!sync)
      warnings.push(
        'No Xilinx sync word (0xAA995566) was found in the first 1 MiB of the bitstream.',
      );
    if (header && header.dataOffset + header.dataLength < b.length) {
      warnings.push(
        `The .bit header declares ${groupDigits(header.dataLength)} bytes of bitstream, but ${groupDigits(b.length - header.dataOffset)} follow it.`,
      );
    }
    const sniff: FormatSniff = {
      kind: 'xilinx-bit',
      label: 'Xilinx bitstream (.bit, with its header)',
      confidence: 'certain',
      evidence: `the .bit preamble 00 09 0f f0 ... 01 at byte 0${sync ? ` and the sync word at byte ${groupDigits(sync.offset)}` : ''}`,
      details: { ...(header?.fields ?? {}), ...syncDetails },
      warnings: header ? warnings : [...warnings, 'The .bit header fields could not be read.'],
      refusal: null,
    };
    if (header && header.dataOffset + header.dataLength > b.length) {
      const missing = header.dataOffset + header.dataLength - b.length;
      return {
        ...sniff,
        refusal: {
          message: `The .bit file is truncated: its header declares ${groupDigits(header.dataLength)} bytes of bitstream and ${groupDigits(missing)} of them are missing.`,
          fix: 'Fetch the complete file again and check its checksum.',
        },
      };
    }
    return sniff;
  }
  if (!sync) return null;
  return {
    kind: 'xilinx-bin',
    label: 'Xilinx bitstream (raw .bin)',
    confidence: sync.busWidth ? 'certain' : 'likely',
    evidence: `the sync word ${sync.reversed ? '(bit-reversed) ' : ''}at byte ${groupDigits(sync.offset)}${sync.busWidth ? ', after the bus-width pattern 0x000000BB 0x11220044' : ''}`,
    details: syncDetails,
    warnings: syncWarning,
    refusal: null,
  };
}

function sniffIntel(b: Buffer, fileName: string): FormatSniff | null {
  let run = 0;
  while (run < b.length && b[run] === 0xff) run++;
  const padded = run >= PADDING_RUN;
  const named = extname(fileName).toLowerCase() === '.rbf';
  if (!padded && !named) return null;
  const hints = [
    padded ? `${groupDigits(run)} bytes of 0xFF padding at the start and no Xilinx sync word` : '',
    named ? 'the file name ends in .rbf' : '',
  ].filter((h) => h !== '');
  return {
    kind: 'intel-raw-binary',
    label: 'Intel/Altera raw binary (.rbf), probably',
    confidence: padded && named ? 'likely' : 'guess',
    evidence: hints.join('; '),
    details: { leadingPaddingBytes: run },
    warnings: [
      'Intel/Altera raw binary files have no signature: this is a guess. Check that this is the image your adapter vendor ships for flashing.',
    ],
    refusal: null,
  };
}

/** Sniff the payload (the bytes to flash); `fileName` only adds the .rbf hint. */
export function sniffFormat(payload: Buffer, fileName: string): FormatSniff {
  const other = recogniseNonImage(payload);
  if (other) return refuse(other.what, other.evidence, other.fix);
  const xilinx = sniffXilinx(payload);
  if (xilinx) return xilinx;
  const intel = sniffIntel(payload, fileName);
  if (intel) return intel;
  return {
    kind: 'unknown',
    label: 'unknown',
    confidence: 'none',
    evidence: 'no Xilinx .bit header or sync word, and no sign of an Intel/Altera raw binary',
    details: {},
    warnings: [
      'The image format was not recognised. The bytes are flashed as they are: check that this is the image your adapter vendor ships for flashing.',
    ],
    refusal: null,
  };
}

/**
 * Parsing `sha256sum` output: `HEX  name` (text mode), `HEX *name` (binary mode), the escaped
 * form (`\HEX  name` when the name holds a backslash or newline), the BSD form
 * `SHA256 (name) = HEX` (`sha256sum --tag`), and a file holding just one hash. Pure text in,
 * a verdict out: no file system access.
 */
import { basename } from 'node:path';
import { cappedList, shown } from '../terminal-text.js';

export interface SidecarEntry {
  readonly sha256: string;
  /** the file name as written, or null for a bare hash */
  readonly name: string | null;
  readonly line: number;
}

export type SidecarPick =
  | {
      readonly ok: true;
      readonly sha256: string;
      readonly line: number;
      readonly note: string | null;
    }
  | { readonly ok: false; readonly reason: string };

const HEX64 = '[0-9a-fA-F]{64}';
const GNU_LINE = new RegExp(`^(\\\\)?(${HEX64}) ([ *])(.*)$`);
const LENIENT_LINE = new RegExp(`^(${HEX64})\\s+\\*?(.+)$`);
const BSD_LINE = new RegExp(`^(\\\\)?SHA256 \\((.*)\\) ?= ?(${HEX64})$`);
const BARE_LINE = new RegExp(`^(${HEX64})$`);

/** sha256sum escapes `\` as `\\` and a newline as `\n` when it prefixes the line with `\`. */
function unescapeName(name: string): string {
  return name.replace(/\\(\\|n|r)/g, (_, c: string) =>
    c === 'n' ? '\n' : c === 'r' ? '\r' : '\\',
  );
}

/** Hex lengths of other hashes, to say what was given instead of a SHA-256. */
export const OTHER_HASH_KINDS: Readonly<Record<number, string>> = {
  32: 'an MD5',
  40: 'a SHA-1',
  56: 'a SHA-224',
  96: 'a SHA-384',
  128: 'a SHA-512',
};

function wrongHashKind(text: string): string | null {
  const word = text.split(/\s+/)[0] ?? '';
  if (!/^[0-9a-fA-F]+$/.test(word)) return null;
  return OTHER_HASH_KINDS[word.length] ?? null;
}

function parseLine(text: string, line: number): SidecarEntry | string {
  const gnu = GNU_LINE.exec(text);
  if (gnu?.[2] !== undefined && gnu[4] !== undefined) {
    const name = gnu[1] ? unescapeName(gnu[4]) : gnu[4];
    return { sha256: gnu[2].toLowerCase(), name, line };
  }
  const bsd = BSD_LINE.exec(text);
  if (bsd?.[2] !== undefined && bsd[3] !== undefined) {
    const name = bsd[1] ? unescapeName(bsd[2]) : bsd[2];
    return { sha256: bsd[3].toLowerCase(), name, line };
  }
  const bare = BARE_LINE.exec(text);
  if (bare?.[1] !== undefined) return { sha256: bare[1].toLowerCase(), name: null, line };
  const lenient = LENIENT_LINE.exec(text);
  if (lenient?.[1] !== undefined && lenient[2] !== undefined) {
    return { sha256: lenient[1].toLowerCase(), name: lenient[2].trim(), line };
  }
  const kind = wrongHashKind(text);
  return kind
    ? `line ${line} holds ${kind} hash, not a SHA-256`
    : `line ${line} is not a sha256sum line`;
}

export interface ParsedSidecar {
  readonly entries: readonly SidecarEntry[];
  readonly malformed: readonly string[];
}

export function parseSidecar(text: string): ParsedSidecar {
  const entries: SidecarEntry[] = [];
  const malformed: string[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') return;
    const parsed = parseLine(line.trim(), index + 1);
    if (typeof parsed === 'string') malformed.push(parsed);
    else entries.push(parsed);
  });
  return { entries, malformed };
}

/**
 * The expected hash for the image named `names` (the path's base name, and the link target's
 * when the path is a symbolic link). An entry matches when its name, or that name's base name,
 * is one of them. A sidecar with a single entry is used even under another name (a renamed
 * image keeps its content), with a note; that is safe both ways: a wrong hash only refuses.
 */
export function pickSidecarEntry(text: string, names: readonly string[]): SidecarPick {
  const { entries, malformed } = parseSidecar(text);
  const wanted = new Set(names.map((n) => basename(n)));
  const matches = entries.filter(
    (e) => e.name !== null && (wanted.has(e.name) || wanted.has(basename(e.name))),
  );
  const skipped =
    malformed.length > 0 ? ` (${malformed.length} other line(s) ignored: ${malformed[0]})` : '';
  if (matches.length > 0) {
    const hashes = new Set(matches.map((m) => m.sha256));
    if (hashes.size > 1) {
      return {
        ok: false,
        reason: `it lists ${shown([...wanted][0])} on lines ${cappedList(
          matches.map((m) => String(m.line)),
          5,
          ', ',
        )} with different hashes`,
      };
    }
    const first = matches[0] as SidecarEntry;
    return {
      ok: true,
      sha256: first.sha256,
      line: first.line,
      note: skipped ? skipped.trim() : null,
    };
  }
  if (malformed.length > 0) return { ok: false, reason: cappedList(malformed) };
  if (entries.length === 0) return { ok: false, reason: 'it holds no checksum' };
  if (entries.length === 1) {
    const only = entries[0] as SidecarEntry;
    const note =
      only.name === null
        ? null
        : `the checksum file names ${shown(only.name)}, not ${shown([...wanted][0])}; its only entry was used`;
    return { ok: true, sha256: only.sha256, line: only.line, note };
  }
  const listed = entries
    .slice(0, 5)
    .map((e) => (e.name === null ? '(no name)' : shown(e.name)))
    .join(', ');
  return {
    ok: false,
    reason: `it has ${entries.length} entries (${listed}${entries.length > 5 ? ', ...' : ''}) and none for ${shown([...wanted][0])}`,
  };
}

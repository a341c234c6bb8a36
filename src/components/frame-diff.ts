/**
 * Cell-level frame diffing between Ink and the terminal, so a refresh costs what changed on the
 * screen, not the whole live area (issue: under 2 KB/s over SSH during a transfer).
 *
 * Ink 6.8's own incremental renderer leaves stale rows (ink#909, see render-app.tsx), so Ink
 * keeps its standard renderer, which writes every frame as `eraseLines(n)` + the whole frame.
 * This wrapper recognises exactly that shape and, when the erase matches the frame it last saw,
 * writes instead only the changed runs of cells, then leaves the cursor where the standard
 * renderer would have left it (column 0 of the row below the frame). Anything it does not
 * recognise (the first frame, a clear, a resize, other output) passes through unchanged and
 * the next frame is written in full, so the worst case is what Ink writes on its own.
 */
import stringWidth from 'string-width';

const ESC = '\u001B';
const CSI = `${ESC}[`;
const ERASE_LINE = `${CSI}2K`;
const UP = `${CSI}1A`;
const COLUMN_1 = `${CSI}G`;
/** synchronized output and cursor visibility: state-neutral writes */
const NEUTRAL = new RegExp(`^(?:${ESC}\\[\\?(?:2026|25)[hl])+$`);
const SGR = new RegExp(`^${ESC}\\[[0-9;]*m`);
export const SYNC_BEGIN = `${CSI}?2026h`;
export const SYNC_END = `${CSI}?2026l`;

const MERGE_GAP = 8;
/** grapheme clusters: one cell each when their width is 1 */
const segmenter = new Intl.Segmenter();

interface Cell {
  readonly text: string;
  /** the SGR state in effect, as the one sequence that sets it after a reset */
  readonly style: string;
}

/**
 * SGR parameters applied to `attrs` (what chalk writes: intensity, italic, underline, inverse,
 * strike-through, 16/256/true-colour foreground and background). False for anything else.
 */
function applySgr(attrs: Map<string, string>, params: string): boolean {
  const codes = params === '' ? [0] : params.split(';').map(Number);
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i] ?? 0;
    if (c === 0) attrs.clear();
    else if (c === 1 || c === 2) attrs.set('a', String(c));
    else if (c === 22) attrs.delete('a');
    else if (c >= 3 && c <= 9) attrs.set(`b${c}`, String(c));
    else if (c >= 23 && c <= 29) attrs.delete(`b${c - 20}`);
    else if (c === 38 || c === 48) {
      const span = codes[i + 1] === 5 ? 2 : codes[i + 1] === 2 ? 4 : -1;
      if (span < 0) return false;
      attrs.set(c === 38 ? 'f' : 'g', codes.slice(i, i + 1 + span).join(';'));
      i += span;
    } else if (c === 39) attrs.delete('f');
    else if (c === 49) attrs.delete('g');
    else if ((c >= 30 && c <= 37) || (c >= 90 && c <= 97)) attrs.set('f', String(c));
    else if ((c >= 40 && c <= 47) || (c >= 100 && c <= 107)) attrs.set('g', String(c));
    else return false;
  }
  return true;
}

/** The one SGR sequence that sets `attrs` from a reset; '' for none. */
function canonical(attrs: ReadonlyMap<string, string>): string {
  if (attrs.size === 0) return '';
  const keys = [...attrs.keys()].sort();
  return `${CSI}${keys.map((k) => attrs.get(k)).join(';')}m`;
}

/** A frame line as cells of width 1, or null when it holds anything else (then it is rewritten whole). */
export function parseCells(line: string): Cell[] | null {
  const cells: Cell[] = [];
  const attrs = new Map<string, string>();
  let style = '';
  let i = 0;
  while (i < line.length) {
    if (line.startsWith(ESC, i)) {
      const sgr = SGR.exec(line.slice(i));
      if (!sgr || !applySgr(attrs, sgr[0].slice(2, -1))) return null;
      style = canonical(attrs);
      i += sgr[0].length;
      continue;
    }
    const next = line.indexOf(ESC, i);
    const text = line.slice(i, next < 0 ? line.length : next);
    for (const { segment } of segmenter.segment(text)) {
      if (stringWidth(segment) !== 1) return null;
      cells.push({ text: segment, style });
    }
    i += text.length;
  }
  return cells;
}

/** Bytes that turn row `before` into `after`, from column 0 of that row; the cursor may end anywhere on it. */
export function lineUpdate(before: string, after: string): string {
  if (before === after) return '';
  const old = parseCells(before);
  const next = parseCells(after);
  if (!old || !next) return `${ERASE_LINE}${after}`;
  const same = (a: Cell | undefined, b: Cell | undefined): boolean =>
    a !== undefined && b !== undefined && a.text === b.text && a.style === b.style;
  // Runs of changed cells; two runs closer than MERGE_GAP cells are written as one, since a
  // cursor move and a style reset cost about as much as the equal cells between them.
  const runs: [number, number][] = [];
  for (let c = 0; c < next.length; c++) {
    if (same(old[c], next[c])) continue;
    const last = runs.at(-1);
    if (last && c - last[1] <= MERGE_GAP) last[1] = c;
    else runs.push([c, c]);
  }
  let out = '';
  for (const [first, last] of runs) {
    out += `${CSI}${first + 1}G${CSI}0m`;
    let style = '';
    for (let c = first; c <= last; c++) {
      const cell = next[c] as Cell;
      if (cell.style !== style) {
        out += style === '' ? cell.style : `${CSI}0m${cell.style}`;
        style = cell.style;
      }
      out += cell.text;
    }
    if (style !== '') out += `${CSI}0m`;
  }
  if (next.length < old.length) out += `${CSI}${next.length + 1}G${CSI}K`;
  return out;
}

/** The erase count and the frame of a standard-renderer write, or null for anything else. */
export function parseFrameWrite(data: string): { erased: number; frame: string } | null {
  let i = 0;
  let erased = 0;
  if (data.startsWith(ERASE_LINE)) {
    erased = 1;
    i = ERASE_LINE.length;
    while (data.startsWith(UP + ERASE_LINE, i)) {
      erased++;
      i += UP.length + ERASE_LINE.length;
    }
    if (!data.startsWith(COLUMN_1, i)) return null;
    i += COLUMN_1.length;
  }
  const frame = data.slice(i);
  if (!frame.endsWith('\n')) return null;
  return { erased, frame };
}

/** Synchronized-output markers and cursor visibility: writes that draw nothing. */
export function isStateNeutral(data: string): boolean {
  return NEUTRAL.test(data);
}

/** A synchronized-output marker alone (begin or end of an update). */
export function isSyncMarker(data: string): boolean {
  return data === SYNC_BEGIN || data === SYNC_END;
}

/**
 * A standard-renderer frame write made to erase `rows + 1` lines instead of what it says: the
 * frame on screen when some frames in between were never written (a stalled terminal), so that
 * the differ can update from the frame that is really there. Null for anything but a frame.
 */
export function eraseFromScreen(data: string, rows: number | null): string | null {
  const prefix = data.startsWith(SYNC_BEGIN) ? SYNC_BEGIN : '';
  const suffix = data.endsWith(SYNC_END) ? SYNC_END : '';
  const write = parseFrameWrite(data.slice(prefix.length, data.length - suffix.length));
  if (!write) return null;
  if (rows === null) return data;
  const erase = ERASE_LINE + (UP + ERASE_LINE).repeat(rows) + COLUMN_1;
  return prefix + erase + write.frame + suffix;
}

/** Turns full-frame writes into updates of the changed cells; see the file comment. */
export class FrameDiffer {
  /** the rows of the frame on screen, or null when unknown */
  private rows: string[] | null = null;

  /** how many rows the frame on screen has, or null when unknown */
  get rowCount(): number | null {
    return this.rows?.length ?? null;
  }

  transform(data: string): string {
    if (NEUTRAL.test(data)) return data;
    let body = data;
    let prefix = '';
    let suffix = '';
    if (body.startsWith(SYNC_BEGIN)) {
      prefix = SYNC_BEGIN;
      body = body.slice(SYNC_BEGIN.length);
    }
    if (body.endsWith(SYNC_END)) {
      suffix = SYNC_END;
      body = body.slice(0, -SYNC_END.length);
    }
    const write = parseFrameWrite(body);
    if (!write) {
      this.rows = null;
      return data;
    }
    const rows = write.frame.slice(0, -1).split('\n');
    const previous = this.rows;
    this.rows = rows;
    // Ink erases lines.length rows of the previous frame: its rows plus the one below it.
    if (previous === null || write.erased !== previous.length + 1) return data;
    return prefix + this.update(previous, rows) + suffix;
  }

  private update(previous: readonly string[], rows: readonly string[]): string {
    let out = previous.length > 0 ? `${CSI}${previous.length}A` : '';
    const height = Math.max(previous.length, rows.length);
    for (let r = 0; r < height; r++) {
      const next = rows[r];
      out += next === undefined ? ERASE_LINE : lineUpdate(previous[r] ?? '', next);
      out += '\r\n';
    }
    // a shorter frame: back up over the erased rows to just below the new last row
    if (previous.length > rows.length) out += `${CSI}${previous.length - rows.length}A`;
    return out;
  }
}

/**
 * `stream` with its `write` diffing frames; everything else (size, isTTY, resize events) is
 * the stream's own.
 */
export function withFrameDiffing(stream: NodeJS.WriteStream): NodeJS.WriteStream {
  const differ = new FrameDiffer();
  const write = (chunk: unknown, ...rest: unknown[]): boolean =>
    (stream.write as (...args: unknown[]) => boolean)(
      typeof chunk === 'string' ? differ.transform(chunk) : chunk,
      ...rest,
    );
  return new Proxy(stream, {
    get(target, property) {
      if (property === 'write') return write;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function'
        ? (value as (...a: unknown[]) => unknown).bind(target)
        : value;
    },
  });
}

/** Pure layout arithmetic: how many rows a text takes when Ink wraps it at a width. */

/** Rows of `text` word-wrapped at `width` (greedy, long words broken), like Ink's wrap. */
export function wrappedRows(text: string, width: number): number {
  const w = Math.max(1, width);
  let rows = 0;
  for (const line of text.split('\n')) {
    let used = 0;
    let lineRows = 1;
    for (const word of line.split(' ')) {
      const len = [...word].length;
      const need = used === 0 ? len : used + 1 + len;
      if (need <= w) {
        used = need;
        continue;
      }
      if (used > 0) lineRows++;
      used = len;
      while (used > w) {
        lineRows++;
        used -= w;
      }
    }
    rows += lineRows;
  }
  return rows;
}

/** `items` cut to `max`, saying how many were left out. */
export function capList<T>(items: readonly T[], max: number): { shown: T[]; hidden: number } {
  const n = Math.max(0, max);
  if (items.length <= n) return { shown: [...items], hidden: 0 };
  return { shown: items.slice(0, n), hidden: items.length - n };
}

/**
 * As many of `texts` as fit in `rows` when each wraps at `width`, in order. When some are left
 * out, one row is kept free for the line that says so.
 */
export function fitWrapped(
  texts: readonly string[],
  width: number,
  rows: number,
): { shown: string[]; hidden: number } {
  const needs = texts.map((t) => wrappedRows(t, width));
  const total = needs.reduce((sum, n) => sum + n, 0);
  if (total <= rows) return { shown: [...texts], hidden: 0 };
  let used = 0;
  let count = 0;
  for (const need of needs) {
    if (used + need > rows - 1) break;
    used += need;
    count++;
  }
  return { shown: texts.slice(0, count), hidden: texts.length - count };
}

/** An ISO time to the second, `2026-11-25 07:00:05 UTC` (a live view shows it ticking). */
export function formatWhenExact(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** An ISO time as `2026-11-25 07:00 UTC` (journals mix hosts; say the zone). */
export function formatWhen(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * A word that must not be broken (a path, a hash) cut to `width` columns by eliding its middle:
 * the start and the longer end stay (a file's name, a hash's last digits). Whole when it fits.
 */
export function elideMiddle(text: string, width: number, ellipsis: string): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  const keep = Math.max(0, width - ellipsis.length);
  const head = Math.floor(keep * 0.4);
  const tail = keep - head;
  return `${chars.slice(0, head).join('')}${ellipsis}${tail > 0 ? chars.slice(-tail).join('') : ''}`;
}

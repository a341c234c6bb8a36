/**
 * A progress bar of a width computed from the terminal's columns, not measured after layout
 * (@inkjs/ui's ProgressBar keeps the width of the layout before a resize until something else
 * re-renders it). Done cells and remaining cells have different glyphs, so it reads without
 * colour.
 */
import { Text } from 'ink';
import { useGlyphs } from './context.js';

export function Bar({ percent, width }: { readonly percent: number; readonly width: number }) {
  const glyphs = useGlyphs();
  const cells = Math.max(0, Math.floor(width));
  const done = Math.round((Math.min(100, Math.max(0, percent)) / 100) * cells);
  return (
    <Text>
      <Text color="magenta">{glyphs.barDone.repeat(done)}</Text>
      <Text dimColor>{glyphs.barTodo.repeat(cells - done)}</Text>
    </Text>
  );
}

/** The widest a bar is drawn; wider says nothing more. */
export const MAX_BAR = 60;
/** Narrower than this, the text beside the bar moves to the next line. */
export const MIN_BAR = 10;

/**
 * The cells a bar gets on a row of `width` with `beside` columns of text next to it (one space
 * between), or 0 when even MIN_BAR does not fit.
 */
export function barCells(width: number, beside: number): number {
  const free = width - beside;
  return free >= MIN_BAR ? Math.min(MAX_BAR, free) : 0;
}

/**
 * How a row `label bar pct detail` fits `width`: the bar's cells, and whether the detail fits
 * beside it (when not, the caller shows it on the next row and the bar keeps MIN_BAR or more).
 */
export function progressRow(
  width: number,
  label: string,
  pct: string,
  detail: string,
): { cells: number; detailBeside: boolean } {
  const lead = label ? label.length + 1 : 0;
  const withDetail = barCells(width, lead + 1 + pct.length + 1 + detail.length);
  if (withDetail > 0) return { cells: withDetail, detailBeside: true };
  return { cells: barCells(width, lead + 1 + pct.length), detailBeside: false };
}

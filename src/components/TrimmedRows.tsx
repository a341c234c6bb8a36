/**
 * A column box whose text rows never start with the space that ended the row above. Ink wraps
 * with wrap-ansi's `trim: false`, which moves that space to the next row whenever a row is exactly
 * full (`␣complete flash succeeds.`). Ink applies a box's transform to every row of every text
 * inside it after wrapping, with the row's index in its text, so one box at the top of a screen
 * fixes them all. Ink's <Box> does not pass a transform on, hence the element by name.
 */
import { createElement, type ReactNode } from 'react';

// SGR sequences a styled text opens a row with, then exactly one space before a printed character
// eslint-disable-next-line no-control-regex
const CONTINUATION_SPACE = /^((?:\u001B\[[0-9;]*m)*) (?=[^ ])/;

/** Row `index` of a wrapped text, without the wrap's leading space (row 0 is left alone). */
export function trimContinuation(row: string, index: number): string {
  return index > 0 ? row.replace(CONTINUATION_SPACE, '$1') : row;
}

export interface TrimmedRowsProps {
  readonly width?: number;
  readonly height?: number;
  readonly children: ReactNode;
}

export function TrimmedRows({ width, height, children }: TrimmedRowsProps) {
  return createElement(
    'ink-box',
    {
      style: {
        flexWrap: 'nowrap',
        flexDirection: 'column',
        flexGrow: 0,
        flexShrink: 1,
        width,
        height,
        overflowX: 'visible',
        overflowY: 'visible',
      },
      internal_transform: trimContinuation,
    },
    children,
  );
}

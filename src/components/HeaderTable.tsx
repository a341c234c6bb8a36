/**
 * A 128-byte header, field by field: field, value (decimal and hex), note. The columns are as
 * wide as their widest entry, so no value is cut and glued to its note; a value too long for a
 * column (a long reserved field), or a note with too little room beside its value, goes on its own
 * row, and only a value wider than the whole row is elided in the middle.
 */
import { Box, Text } from 'ink';
import { useBodySize, useGlyphs } from './context.js';
import { plain } from './glyphs.js';
import { elideMiddle } from './layout.js';
import type { HeaderRow } from './image-report.js';

/** The least room a note gets beside the value before it moves under it. */
const MIN_NOTE = 24;
/** A value wider than this (a long reserved field) gets its own row, not a column this wide. */
const MAX_VALUE = 32;

export function valueText(row: HeaderRow): string {
  return row.hex && row.value !== `0x${row.hex}` ? `${row.value} (0x${row.hex})` : row.value;
}

export function HeaderTable({ rows }: { readonly rows: readonly HeaderRow[] }) {
  const glyphs = useGlyphs();
  const body = useBodySize();
  const fieldWidth = Math.max(0, ...rows.map((r) => r.field.length)) + 2;
  const lengths = rows.map((r) => valueText(r).length).filter((n) => n <= MAX_VALUE);
  const valueWidth = Math.max(0, ...lengths) + 2;
  const fits = fieldWidth + valueWidth + MIN_NOTE <= body.width;
  const ellipsis = glyphs.ascii ? '...' : '…';
  return (
    <Box flexDirection="column" flexShrink={0}>
      {rows.map((row) => {
        const beside = fits && valueText(row).length <= MAX_VALUE;
        return (
          <Box key={row.field} flexDirection="column">
            <Box>
              <Box width={fieldWidth} flexShrink={0}>
                <Text dimColor>{row.field}</Text>
              </Box>
              <Box width={beside ? valueWidth : undefined} flexShrink={beside ? 0 : 1}>
                <Text>{elideMiddle(valueText(row), body.width - fieldWidth, ellipsis)}</Text>
              </Box>
              {beside && row.note ? <Text>{plain(glyphs, row.note)}</Text> : null}
            </Box>
            {!beside && row.note ? (
              <Box paddingLeft={fieldWidth}>
                <Text dimColor>{plain(glyphs, row.note)}</Text>
              </Box>
            ) : null}
          </Box>
        );
      })}
    </Box>
  );
}

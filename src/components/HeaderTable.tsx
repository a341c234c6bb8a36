/**
 * A 128-byte header, field by field: field, value (decimal and hex, never cut), note. The columns
 * are as wide as their widest entry; when the note would have too little room beside the value,
 * it goes on its own row under it.
 */
import { Box, Text } from 'ink';
import { useBodySize, useGlyphs } from './context.js';
import { plain } from './glyphs.js';
import type { HeaderRow } from './image-report.js';

/** The least room a note gets beside the value before it moves under it. */
const MIN_NOTE = 24;

export function valueText(row: HeaderRow): string {
  return row.hex && row.value !== `0x${row.hex}` ? `${row.value} (0x${row.hex})` : row.value;
}

export function HeaderTable({ rows }: { readonly rows: readonly HeaderRow[] }) {
  const glyphs = useGlyphs();
  const body = useBodySize();
  const fieldWidth = Math.max(0, ...rows.map((r) => r.field.length)) + 2;
  const valueWidth = Math.max(0, ...rows.map((r) => valueText(r).length)) + 2;
  const beside = fieldWidth + valueWidth + MIN_NOTE <= body.width;
  return (
    <Box flexDirection="column" flexShrink={0}>
      {rows.map((row) => (
        <Box key={row.field} flexDirection="column">
          <Box>
            <Box width={fieldWidth} flexShrink={0}>
              <Text dimColor>{row.field}</Text>
            </Box>
            <Box width={beside ? valueWidth : undefined} flexShrink={beside ? 0 : 1}>
              <Text>{valueText(row)}</Text>
            </Box>
            {beside && row.note ? <Text>{plain(glyphs, row.note)}</Text> : null}
          </Box>
          {!beside && row.note ? (
            <Box paddingLeft={fieldWidth}>
              <Text dimColor>{plain(glyphs, row.note)}</Text>
            </Box>
          ) : null}
        </Box>
      ))}
    </Box>
  );
}

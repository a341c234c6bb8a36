/** A 128-byte header, field by field. */
import { Box, Text } from 'ink';
import { useGlyphs } from './context.js';
import { plain } from './glyphs.js';
import type { HeaderRow } from './image-report.js';

export function HeaderTable({ rows }: { readonly rows: readonly HeaderRow[] }) {
  const glyphs = useGlyphs();
  return (
    <Box flexDirection="column" flexShrink={0}>
      {rows.map((row) => (
        <Box key={row.field}>
          <Box width={20} flexShrink={0}>
            <Text dimColor>{row.field}</Text>
          </Box>
          <Box width={22} flexShrink={0}>
            <Text wrap="truncate-end">
              {row.hex && row.value !== `0x${row.hex}` ? `${row.value} (0x${row.hex})` : row.value}
            </Text>
          </Box>
          <Text>{row.note ? plain(glyphs, row.note) : ''}</Text>
        </Box>
      ))}
    </Box>
  );
}

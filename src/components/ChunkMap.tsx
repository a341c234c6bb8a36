/** The image as a grid of its calls: state by glyph and by colour, so it reads without colour. */
import { Box, Text } from 'ink';
import { layoutChunkMap, runsOf } from './chunk-map.js';
import { useGlyphs } from './context.js';
import type { CellState } from './glyphs.js';

const COLOR: Readonly<Record<CellState, string>> = {
  pending: 'gray',
  inFlight: 'cyan',
  done: 'green',
  failed: 'red',
  partial: 'green',
};

export function ChunkMap({
  chunks,
  width,
  maxRows,
}: {
  readonly chunks: string;
  readonly width: number;
  readonly maxRows: number;
}) {
  const glyphs = useGlyphs();
  const { rows, callsPerCell } = layoutChunkMap(chunks, width, maxRows);
  const c = glyphs.cell;
  return (
    <Box flexDirection="column" flexShrink={0}>
      <Text wrap="truncate-end">
        Chunk map, {chunks.length} calls,{' '}
        {callsPerCell === 1 ? '1 cell per call' : `1 cell = ${callsPerCell} calls`}: {c.done} done{' '}
        {c.inFlight} in flight {c.pending} pending {c.failed} failed
        {callsPerCell > 1 ? ` ${c.partial} partly done` : ''}
      </Text>
      {rows.map((row, i) => (
        <Text key={i}>
          {runsOf(row).map((run, j) => (
            <Text key={j} color={COLOR[run.state]}>
              {c[run.state].repeat(run.length)}
            </Text>
          ))}
        </Text>
      ))}
    </Box>
  );
}

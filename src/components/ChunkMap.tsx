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
  const c = glyphs.cell;
  // The key says what each glyph means (the map must read without colour): when the title and
  // the key do not fit one row, the key gets its own row and the map one row less.
  const titleFor = (perCell: number): string =>
    `Chunk map, ${chunks.length} calls, ${perCell === 1 ? '1 cell per call' : `1 cell = ${perCell} calls`}:`;
  const keyFor = (perCell: number): string =>
    `${c.done} done ${c.inFlight} in flight ${c.pending} pending ${c.failed} failed${perCell > 1 ? ` ${c.partial} partly done` : ''}`;
  const oneRow = (perCell: number): boolean =>
    [...`${titleFor(perCell)} ${keyFor(perCell)}`].length <= width;
  const first = layoutChunkMap(chunks, width, maxRows);
  const split = !oneRow(first.callsPerCell);
  const { rows, callsPerCell } = split
    ? layoutChunkMap(chunks, width, Math.max(1, maxRows - 1))
    : first;
  return (
    <Box flexDirection="column" flexShrink={0}>
      {split ? (
        <>
          <Text wrap="truncate-end">{titleFor(callsPerCell)}</Text>
          <Text wrap="truncate-end">{keyFor(callsPerCell)}</Text>
        </>
      ) : (
        <Text wrap="truncate-end">
          {titleFor(callsPerCell)} {keyFor(callsPerCell)}
        </Text>
      )}
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

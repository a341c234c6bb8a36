/**
 * The other cards whose last attempt needs attention too, one short line each, below the
 * verdict's details: as many as `rows` holds, then how many more and where to see them all.
 * With no row to spare, only the title, which says where to read them.
 */
import { Box, Text } from 'ink';
import { useMemo } from 'react';
import type { RecoveryVerdict } from '../journal/recovery.js';
import { useBodySize, useGlyphs } from './context.js';
import { plain } from './glyphs.js';
import { fitWrapped } from './layout.js';
import { otherCardLine } from './recovery-others.js';

/** Rows the block takes besides its lines: the blank row above it and its title. */
export const OTHER_CARDS_CHROME_ROWS = 2;

export function OtherCards({
  verdicts,
  rows,
}: {
  readonly verdicts: readonly RecoveryVerdict[];
  /** rows for the lines (and the "more" line), without the chrome */
  readonly rows: number;
}) {
  const glyphs = useGlyphs();
  const { width } = useBodySize();
  const lines = useMemo(
    () => verdicts.map((v) => plain(glyphs, otherCardLine(v))),
    [verdicts, glyphs],
  );
  if (verdicts.length === 0) return null;
  const mark = glyphs.warn;
  const { shown, hidden } = fitWrapped(lines, width - [...mark].length - 1, Math.max(0, rows));
  const n = verdicts.length;
  const hint = `cxl-flasher recover --json lists ${n === 1 ? 'it' : 'them all'}`;
  return (
    <Box flexDirection="column" flexShrink={0} marginTop={1}>
      <Text>
        <Text bold>
          {n === 1 ? 'Another card needs attention too' : `${n} other cards need attention too`}
        </Text>
        {/* no room for a single line: the title says where to read them */}
        {shown.length === 0 ? <Text dimColor>: {hint}</Text> : null}
      </Text>
      {shown.map((line, i) => (
        <Box key={`${i}-${line}`}>
          <Box flexShrink={0} marginRight={1}>
            <Text color="yellow">{mark}</Text>
          </Box>
          <Text>{line}</Text>
        </Box>
      ))}
      {hidden > 0 && shown.length > 0 ? (
        <Text dimColor>{plain(glyphs, `… and ${hidden} more: ${hint}`)}</Text>
      ) : null}
    </Box>
  );
}

/**
 * Progress of one pass: label, bar, percent and bytes on one row sized from the body's width
 * (so a resize redraws it at the new width), then calls, rate, ETA and elapsed time. On a narrow
 * terminal the bytes move to the second row rather than squeeze the bar away.
 */
import { Box, Text } from 'ink';
import type { TransferSnapshot } from '../flash/events.js';
import { formatBytes, formatClock, formatRate, percent } from '../report/format.js';
import { Bar, progressRow } from './Bar.js';
import { useGlyphs } from './context.js';
import { plain } from './glyphs.js';

export function TransferStats({
  snapshot,
  width,
}: {
  readonly snapshot: TransferSnapshot;
  readonly width: number;
}) {
  const glyphs = useGlyphs();
  const s = snapshot;
  const pct = percent(s.bytes, s.totalBytes);
  const label = s.phase === 'download' ? 'Download' : 'Validate';
  const pctText = `${String(pct).padStart(3)}%`;
  const bytes = `${formatBytes(s.bytes)} of ${formatBytes(s.totalBytes)}`;
  const { cells, detailBeside: bytesBeside } = progressRow(width, label, pctText, bytes);
  const facts = [
    ...(bytesBeside ? [] : [bytes]),
    `call ${s.call} of ${s.calls} done`,
    formatRate(s.rateBytesPerSec),
    `ETA ${formatClock(s.etaSec)}`,
    `elapsed ${formatClock(s.elapsedMs / 1000)}`,
  ];
  return (
    <Box flexDirection="column" flexShrink={0}>
      <Text>
        <Text bold>{label}</Text> <Bar percent={pct} width={cells} />
        {cells > 0 ? ' ' : ''}
        {pctText}
        {bytesBeside ? ` ${bytes}` : ''}
      </Text>
      <Text>{plain(glyphs, facts.join(glyphs.sep))}</Text>
    </Box>
  );
}

/** Progress of one pass: bar in a fixed-width box, percent, bytes, rate, ETA, calls. */
import { ProgressBar } from '@inkjs/ui';
import { Box, Text } from 'ink';
import type { TransferSnapshot } from '../flash/events.js';
import { formatBytes, formatClock, formatRate, percent } from '../report/format.js';
import { useGlyphs } from './context.js';
import { plain } from './glyphs.js';

export function TransferStats({
  snapshot,
  barWidth,
}: {
  readonly snapshot: TransferSnapshot;
  readonly barWidth: number;
}) {
  const glyphs = useGlyphs();
  const s = snapshot;
  const pct = percent(s.bytes, s.totalBytes);
  const label = s.phase === 'download' ? 'Download' : 'Validate';
  return (
    <Box flexDirection="column" flexShrink={0}>
      <Box gap={1}>
        <Text bold>{label}</Text>
        <Box width={barWidth} flexShrink={0}>
          <ProgressBar value={pct} />
        </Box>
        <Text>
          {String(pct).padStart(3)}% {formatBytes(s.bytes)} of {formatBytes(s.totalBytes)}
        </Text>
      </Box>
      <Text>
        {plain(
          glyphs,
          [
            `call ${s.call} of ${s.calls} done`,
            formatRate(s.rateBytesPerSec),
            `ETA ${formatClock(s.etaSec)}`,
            `elapsed ${formatClock(s.elapsedMs / 1000)}`,
          ].join(glyphs.sep),
        )}
      </Text>
    </Box>
  );
}

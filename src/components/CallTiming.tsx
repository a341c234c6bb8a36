/**
 * The call in flight and the gap since the last return, against the hypervisor's 3-second
 * limit (docs/kernel-contract.md §6): calm while normal, a warning past 1 s, prominent near the limit.
 */
import { Badge } from '@inkjs/ui';
import { Box, Text } from 'ink';
import type { TransferSnapshot } from '../flash/events.js';
import { formatMs } from '../report/format.js';
import { useGlyphs } from './context.js';
import { gapGauge, gapLevel, isLongBusy, LIMIT_TEXT } from './gap-level.js';
import { plain } from './glyphs.js';

const GAUGE_WIDTH = 20;

function Gap({ gapMs }: { readonly gapMs: number }) {
  const glyphs = useGlyphs();
  const level = gapLevel(gapMs);
  const gauge = gapGauge(gapMs, GAUGE_WIDTH, glyphs.barDone, glyphs.barTodo);
  const color = level === 'critical' ? 'red' : level === 'warning' ? 'yellow' : undefined;
  return (
    <Box flexDirection="column">
      <Text color={color} bold={level === 'critical'}>
        {level === 'normal' ? '' : `${level === 'critical' ? glyphs.fail : glyphs.warn} `}
        Gap since the last return [{gauge}] {formatMs(gapMs)} of the {LIMIT_TEXT} limit
      </Text>
      {level === 'critical' ? (
        <Text color="red" bold>
          <Badge color="red">near the limit</Badge> the hypervisor may abandon the sequence after{' '}
          {LIMIT_TEXT} without a call
        </Text>
      ) : null}
    </Box>
  );
}

export function CallTiming({ snapshot }: { readonly snapshot: TransferSnapshot }) {
  const glyphs = useGlyphs();
  const s = snapshot;
  const largest = `Largest gap between calls: ${formatMs(s.largestGapMs)} (limit ${LIMIT_TEXT})`;
  let now;
  if (s.call >= s.calls) now = <Text>All {s.calls} calls of this pass returned.</Text>;
  else if (s.inFlightMs !== null)
    now = (
      <Box flexDirection="column">
        <Text color={isLongBusy(s.inFlightMs) ? 'yellow' : undefined}>
          {isLongBusy(s.inFlightMs) ? `${glyphs.warn} ` : ''}Call {s.call + 1} of {s.calls} in the
          hypervisor for {formatMs(s.inFlightMs)}
        </Text>
        {isLongBusy(s.inFlightMs) ? (
          <Text>
            Long-busy: the hypervisor asked to be called back; one call can take up to 120 s and
            cannot be interrupted. The {LIMIT_TEXT} limit counts only between calls.
          </Text>
        ) : null}
      </Box>
    );
  else if (s.gapSinceReturnMs !== null) now = <Gap gapMs={s.gapSinceReturnMs} />;
  else now = <Text>Issuing the first call.</Text>;
  return (
    <Box flexDirection="column" flexShrink={0}>
      {now}
      <Text dimColor>{plain(glyphs, largest)}</Text>
    </Box>
  );
}

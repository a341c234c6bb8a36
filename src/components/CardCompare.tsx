/** The card's properties before the flash and after the reload, side by side. */
import { Box, Text } from 'ink';
import type { CardSummary } from '../flash/events.js';
import { formatId } from '../report/format.js';
import { useBodySize } from './context.js';

type Row = readonly [label: string, read: (c: CardSummary) => string];

const ROWS: readonly Row[] = [
  ['Card', (c) => c.name],
  ['Location code', (c) => c.locationCode ?? 'none'],
  ['Vendor/device', (c) => `${formatId(c.vendorId)} ${formatId(c.deviceId)}`],
  ['Subsystem', (c) => `${formatId(c.subsystemVendorId)} ${formatId(c.subsystemId)}`],
  ['PSL revision', (c) => String(c.pslRevision ?? 'unknown')],
  ['CAIA version', (c) => c.caiaVersion ?? 'unknown'],
  ['AFUs', (c) => c.afus.map((a) => a.name).join(', ') || 'none'],
];

export function CardCompare({
  before,
  after,
}: {
  readonly before: CardSummary | null;
  readonly after: CardSummary | null;
}) {
  const { width } = useBodySize();
  const label = 14;
  const col = Math.max(10, Math.floor((width - label - 2) / 2));
  const cell = (c: CardSummary | null, read: Row[1]): string => (c ? read(c) : 'not known');
  return (
    <Box flexDirection="column" flexShrink={0}>
      <Box>
        <Box width={label} flexShrink={0} />
        <Box width={col} flexShrink={0}>
          <Text bold>Before</Text>
        </Box>
        <Text bold>After the reload</Text>
      </Box>
      {ROWS.map(([name, read]) => {
        const a = cell(before, read);
        const b = cell(after, read);
        const changed = before !== null && after !== null && a !== b;
        return (
          <Box key={name}>
            <Box width={label} flexShrink={0}>
              <Text dimColor>{name}</Text>
            </Box>
            <Box width={col} flexShrink={0}>
              <Text wrap="truncate-end">{a}</Text>
            </Box>
            <Text color={changed ? 'green' : undefined} wrap="truncate-end">
              {b}
              {changed ? ' (changed)' : ''}
            </Text>
          </Box>
        );
      })}
    </Box>
  );
}

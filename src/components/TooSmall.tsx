/**
 * What a frame shows in a terminal below the minimum size: the size it has and needs, and what
 * Ctrl-C does now, instead of a screen whose question or footer would be cut off. The screen's
 * own inputs are not mounted meanwhile, so nothing can be confirmed unseen; enlarging redraws.
 */
import { Box, Text } from 'ink';
import type { TerminalSize } from './hooks/useTerminalSize.js';
import { MIN_SIZE } from './hooks/useTerminalSize.js';

export function TooSmall({
  size,
  ctrlC,
  simulated,
}: {
  readonly size: TerminalSize;
  readonly ctrlC: string | null;
  readonly simulated: boolean;
}) {
  return (
    <Box
      flexDirection="column"
      width={size.columns}
      height={Math.max(1, size.rows - 1)}
      overflowY="hidden"
    >
      <Box flexDirection="column" flexShrink={0}>
        <Text bold wrap="truncate-end">
          Terminal too small{simulated ? ' (SIMULATED ADAPTER)' : ''}
        </Text>
        <Text>
          It is {size.columns}x{size.rows}; the screens need at least {MIN_SIZE.columns}x
          {MIN_SIZE.rows}. Enlarge the window to go on.
        </Text>
        {ctrlC ? <Text>{ctrlC}</Text> : null}
      </Box>
    </Box>
  );
}

/**
 * A labelled value: the label in a fixed column, the value wrapping beside it. A `token` value (a
 * path, a hash) is never broken mid-word: when it is wider than the room beside the label, its
 * middle is elided instead.
 */
import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { useBodySize, useGlyphs } from './context.js';
import { elideMiddle } from './layout.js';

const LABEL_WIDTH = 14;

export function Field({
  label,
  children,
  width = LABEL_WIDTH,
  token = false,
}: {
  readonly label: string;
  readonly children: ReactNode;
  readonly width?: number;
  /** one unbreakable word (string children only) */
  readonly token?: boolean;
}) {
  const glyphs = useGlyphs();
  const body = useBodySize();
  const value =
    token && typeof children === 'string'
      ? elideMiddle(children, body.width - width, glyphs.ascii ? '...' : '…')
      : children;
  return (
    <Box>
      <Box width={width} flexShrink={0}>
        <Text dimColor>{label}</Text>
      </Box>
      <Box flexGrow={1} flexShrink={1}>
        {typeof value === 'string' ? <Text>{value}</Text> : value}
      </Box>
    </Box>
  );
}

/** A labelled value: the label in a fixed column, the value wrapping beside it. */
import { Box, Text } from 'ink';
import type { ReactNode } from 'react';

const LABEL_WIDTH = 14;

export function Field({
  label,
  children,
  width = LABEL_WIDTH,
}: {
  readonly label: string;
  readonly children: ReactNode;
  readonly width?: number;
}) {
  return (
    <Box>
      <Box width={width} flexShrink={0}>
        <Text dimColor>{label}</Text>
      </Box>
      <Box flexGrow={1} flexShrink={1}>
        {typeof children === 'string' ? <Text>{children}</Text> : children}
      </Box>
    </Box>
  );
}

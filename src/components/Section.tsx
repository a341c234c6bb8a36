/** A titled group of lines, with one blank line above it. */
import { Box, Text } from 'ink';
import type { ReactNode } from 'react';

export function Section({
  title,
  children,
  first = false,
}: {
  readonly title: string;
  readonly children: ReactNode;
  readonly first?: boolean;
}) {
  return (
    <Box flexDirection="column" marginTop={first ? 0 : 1} flexShrink={0}>
      <Text bold underline>
        {title}
      </Text>
      {children}
    </Box>
  );
}

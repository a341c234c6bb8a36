/** The top line of every screen: where we are, and the badges that must never be missed. */
import { Badge } from '@inkjs/ui';
import { Box, Text } from 'ink';
import { useGlyphs } from './context.js';

export interface HeaderProps {
  readonly title: string;
  readonly step?: string;
  readonly simulated: boolean;
  readonly readOnly?: boolean;
}

export function Header({ title, step, simulated, readOnly = false }: HeaderProps) {
  const glyphs = useGlyphs();
  const rule = glyphs.ascii ? 'classic' : 'single';
  return (
    <Box
      justifyContent="space-between"
      borderStyle={rule}
      borderTop={false}
      borderLeft={false}
      borderRight={false}
      flexShrink={0}
    >
      <Text wrap="truncate-end">
        <Text bold>cxl-flasher</Text>
        {glyphs.sep}
        {step ? `${step} ` : ''}
        {title}
      </Text>
      <Box flexShrink={0} gap={1}>
        {readOnly ? <Badge color="cyan">read-only view</Badge> : null}
        {simulated ? (
          <Text>
            {glyphs.warn} <Badge color="yellow">simulated adapter</Badge>
          </Text>
        ) : null}
      </Box>
    </Box>
  );
}

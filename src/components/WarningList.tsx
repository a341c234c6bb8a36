/** The latest engine warnings (the journal and the event stream keep all of them). */
import { StatusMessage } from '@inkjs/ui';
import { Box, Text } from 'ink';
import { useFlash, useGlyphs } from './context.js';
import { plain } from './glyphs.js';

export function WarningList({ max }: { readonly max: number }) {
  const glyphs = useGlyphs();
  const warnings = useFlash((s) => s.warnings);
  if (warnings.length === 0 || max <= 0) return null;
  const shown = warnings.slice(-max);
  const hidden = warnings.length - shown.length;
  return (
    <Box flexDirection="column" flexShrink={0}>
      {hidden > 0 ? (
        <Text dimColor>
          {hidden} earlier warning{hidden === 1 ? '' : 's'} (all are in the journal)
        </Text>
      ) : null}
      {shown.map((w, i) => (
        <StatusMessage key={`${w.time}-${i}`} variant="warning">
          {plain(glyphs, w.message)}
        </StatusMessage>
      ))}
    </Box>
  );
}

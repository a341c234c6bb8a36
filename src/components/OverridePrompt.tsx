/** The explicit second confirmation before flashing a card whose AFUs or device are in use. */
import { Alert, ConfirmInput } from '@inkjs/ui';
import { Box, Text } from 'ink';
import type { CardSummary } from '../flash/events.js';
import { locationOf, usersOf, who } from './card-text.js';
import { useGlyphs } from './context.js';

export function OverridePrompt({
  card,
  onConfirm,
  onCancel,
}: {
  readonly card: CardSummary;
  readonly onConfirm: () => void;
  readonly onCancel: () => void;
}) {
  const glyphs = useGlyphs();
  return (
    <Box flexDirection="column" flexShrink={0}>
      <Alert variant="warning" title={`${card.name} at ${locationOf(card)} is in use`}>
        {usersOf(card)
          .map((u) => `${glyphs.bullet} ${u.what}: ${who(u.person)}`)
          .join('\n')}
        {'\n'}
        Flashing removes this card&apos;s AFUs from under these processes, and the card device
        cannot be opened while another process holds it. Stop them first if you can.
      </Alert>
      <Box gap={1}>
        <Text bold>Flash {card.name} anyway?</Text>
        <ConfirmInput defaultChoice="cancel" onConfirm={onConfirm} onCancel={onCancel} />
        <Text dimColor>y overrides{glyphs.sep}n, Enter or Esc goes back to the list</Text>
      </Box>
    </Box>
  );
}

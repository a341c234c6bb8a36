/**
 * The last question before the device is opened: names the card by location code and says what
 * Ctrl-C does from here on. Refused outright while a preflight check fails.
 */
import { ConfirmInput, StatusMessage } from '@inkjs/ui';
import { Box, Text } from 'ink';
import { basename } from 'node:path';
import { useCallback } from 'react';
import type { CardSummary } from '../flash/events.js';
import { useActions } from './context.js';

export function ConfirmFlash({
  card,
  imagePath,
  refused,
}: {
  readonly card: CardSummary | null;
  readonly imagePath: string;
  readonly refused: boolean;
}) {
  const actions = useActions();
  const confirm = useCallback(() => actions.confirmFlash(), [actions]);
  const cancel = useCallback(() => actions.back(), [actions]);
  if (refused)
    return (
      <StatusMessage variant="error">
        Flashing is refused until every failed check passes. Esc goes back; q quits. Nothing has
        touched the adapter.
      </StatusMessage>
    );
  const where = card?.locationCode ?? `${card?.name ?? 'the card'} (no location code)`;
  return (
    <Box flexDirection="column" flexShrink={0}>
      <Text>
        The first download call erases the adapter&apos;s image. From then on Ctrl-C asks before
        aborting, and an abort leaves the adapter without a valid image until a complete flash
        succeeds.
      </Text>
      <Box gap={1}>
        <Text bold>
          Flash {basename(imagePath)} onto {where}
          {card?.locationCode ? ` (${card.name})` : ''}?
        </Text>
        <ConfirmInput defaultChoice="cancel" onConfirm={confirm} onCancel={cancel} />
      </Box>
    </Box>
  );
}

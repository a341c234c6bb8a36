/** The Ctrl-C confirmation during a transfer: the consequence in full, safe default "keep going". */
import { Alert, ConfirmInput } from '@inkjs/ui';
import { Box, Text } from 'ink';
import { useCallback } from 'react';
import type { TransferSnapshot } from '../flash/events.js';
import { useActions, useGlyphs } from './context.js';

function consequence(snapshot: TransferSnapshot | null): string {
  if (snapshot?.phase === 'validate')
    return 'The image is written but not validated. Aborting resets the adapter, which then has no valid image until a complete flash succeeds.';
  const erased = snapshot !== null && (snapshot.call > 0 || snapshot.inFlightMs !== null);
  return erased
    ? "The first download call already erased the adapter's image. Aborting resets the adapter, which then has no valid image until a complete flash succeeds."
    : 'No download call has returned yet. Aborting resets the adapter.';
}

export function InterruptPrompt({ snapshot }: { readonly snapshot: TransferSnapshot | null }) {
  const glyphs = useGlyphs();
  const actions = useActions();
  const confirm = useCallback(() => actions.confirmInterrupt(), [actions]);
  const dismiss = useCallback(() => actions.dismissInterrupt(), [actions]);
  return (
    <Box flexDirection="column" flexShrink={0}>
      <Alert variant="warning" title={`Abort the ${snapshot?.phase ?? 'download'}?`}>
        {consequence(snapshot)}
        {'\n'}
        The flash stops after the call in flight returns (a long-busy call can take up to 120 s),
        then the card device is closed.
      </Alert>
      <Box gap={1}>
        <Text bold>Abort the flash?</Text>
        <ConfirmInput defaultChoice="cancel" onConfirm={confirm} onCancel={dismiss} />
        <Text dimColor>y or Ctrl-C again aborts{glyphs.sep}n, Enter or Esc keeps going</Text>
      </Box>
    </Box>
  );
}

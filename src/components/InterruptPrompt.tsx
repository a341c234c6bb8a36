/**
 * The Ctrl-C confirmation during a transfer: the consequence in full, safe default "keep going".
 * Where the boxed version does not fit the rows it is given, the compact one puts the question
 * first and the consequence right under it, so no size hides the question that y answers.
 */
import { Alert } from '@inkjs/ui';
import { Box, Text } from 'ink';
import { useCallback } from 'react';
import type { TransferSnapshot } from '../flash/events.js';
import { useActions, useGlyphs } from './context.js';
import { useConfirmKeys } from './hooks/useConfirmKeys.js';
import { wrappedRows } from './layout.js';

export function consequence(snapshot: TransferSnapshot | null): string {
  if (snapshot?.phase === 'validate')
    return 'The image is written but not validated. Aborting resets the adapter, which then has no valid image until a complete flash succeeds.';
  const erased = snapshot !== null && (snapshot.call > 0 || snapshot.inFlightMs !== null);
  return erased
    ? "The first download call already erased the adapter's image. Aborting resets the adapter, which then has no valid image until a complete flash succeeds."
    : 'No download call has returned yet. Aborting resets the adapter.';
}

const AFTER =
  'The flash stops after the call in flight returns (a long-busy call can take up to 120 s), then the card device is closed.';

/** Rows of the boxed prompt at `width`: border, title, gap, text, border, question row. */
export function fullPromptRows(
  snapshot: TransferSnapshot | null,
  width: number,
  sep: string,
): number {
  const inner = width - 4;
  return (
    2 +
    1 +
    1 +
    wrappedRows(consequence(snapshot), inner) +
    wrappedRows(AFTER, inner) +
    wrappedRows(
      `Abort the flash? y/N y or Ctrl-C again aborts${sep}n, Enter or Esc keeps going`,
      width,
    )
  );
}

export function InterruptPrompt({
  snapshot,
  compact = false,
}: {
  readonly snapshot: TransferSnapshot | null;
  readonly compact?: boolean;
}) {
  const glyphs = useGlyphs();
  const actions = useActions();
  const confirm = useCallback(() => actions.confirmInterrupt(), [actions]);
  const dismiss = useCallback(() => actions.dismissInterrupt(), [actions]);
  useConfirmKeys(confirm, dismiss);
  const keys = `y or Ctrl-C again aborts${glyphs.sep}n, Enter or Esc keeps going`;
  if (compact)
    return (
      <Box flexDirection="column" flexShrink={0}>
        <Text>
          <Text bold color="yellow">
            Abort the flash?
          </Text>{' '}
          y/N
        </Text>
        <Text>{consequence(snapshot)}</Text>
        <Text dimColor>{keys}</Text>
      </Box>
    );
  return (
    <Box flexDirection="column" flexShrink={0}>
      <Alert variant="warning" title={`Abort the ${snapshot?.phase ?? 'download'}?`}>
        {consequence(snapshot)}
        {'\n'}
        {AFTER}
      </Alert>
      <Text>
        <Text bold>Abort the flash?</Text> y/N <Text dimColor>{keys}</Text>
      </Text>
    </Box>
  );
}

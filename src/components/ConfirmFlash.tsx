/**
 * The last question before the device is opened: the preflight verdict in one line, the card by
 * location code, and what the first call does. Laid out for the rows left (confirm-layout.ts):
 * never a question without the verdict above it. Refused outright while a preflight check fails.
 */
import { StatusMessage } from '@inkjs/ui';
import { Box, Text } from 'ink';
import { basename } from 'node:path';
import { useCallback } from 'react';
import type { CardSummary } from '../flash/events.js';
import type { PreflightCheck } from '../hardware/types.js';
import { compactQuestion, CONSEQUENCE, confirmLayout, verdictLine } from './confirm-layout.js';
import { useActions, useBodySize } from './context.js';
import { useConfirmKeys } from './hooks/useConfirmKeys.js';

const VERDICT_COLOR = { pass: 'green', warn: 'yellow', fail: 'red' } as const;

export function ConfirmFlash({
  card,
  imagePath,
  checks,
}: {
  readonly card: CardSummary | null;
  readonly imagePath: string;
  readonly checks: readonly PreflightCheck[];
}) {
  const body = useBodySize();
  const worst = checks.some((c) => c.status === 'fail')
    ? 'fail'
    : checks.some((c) => c.status === 'warn')
      ? 'warn'
      : 'pass';
  const verdict = (
    <Text bold color={VERDICT_COLOR[worst]}>
      {verdictLine(checks, body.width)}
    </Text>
  );
  if (worst === 'fail')
    return (
      <Box flexDirection="column" flexShrink={0} marginTop={1}>
        {verdict}
        <StatusMessage variant="error">
          Flashing is refused until every failed check passes. Esc goes back; q quits. Nothing has
          touched the adapter.
        </StatusMessage>
      </Box>
    );
  const where = card?.locationCode ?? `${card?.name ?? 'the card'} (no location code)`;
  const target = `${basename(imagePath)} onto ${where}${card?.locationCode ? ` (${card.name})` : ''}`;
  const question = `Flash ${target}?`;
  const layout = confirmLayout({
    bodyRows: body.height,
    width: body.width,
    question,
    compact: compactQuestion(target),
  });
  if (layout.variant === 'hidden')
    return (
      <Box flexShrink={0}>
        <Text wrap="truncate-end">Enlarge the terminal to confirm.</Text>
      </Box>
    );
  return (
    <Box flexDirection="column" flexShrink={0} marginTop={layout.margin ? 1 : 0}>
      {verdict}
      {layout.variant === 'full' ? <Text>{CONSEQUENCE}</Text> : null}
      <Question text={layout.variant === 'full' ? question : compactQuestion(target)} />
    </Box>
  );
}

/** Mounted only while the question is on the screen: no y is taken for an unseen question. */
function Question({ text }: { readonly text: string }) {
  const actions = useActions();
  const confirm = useCallback(() => actions.confirmFlash(), [actions]);
  const cancel = useCallback(() => actions.back(), [actions]);
  useConfirmKeys(confirm, cancel);
  return (
    <Text>
      <Text bold>{text}</Text> y/N
    </Text>
  );
}

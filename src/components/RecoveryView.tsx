/**
 * The recovery screen's body, shared by the wizard (state.recovery) and `recover` (a verdict):
 * the details scroll; the other cards that need attention and the choices stay in view below
 * them, the other cards only as far as they leave the details a few rows.
 */
import { Select } from '@inkjs/ui';
import { Box, Text } from 'ink';
import { useCallback, useMemo } from 'react';
import type { RecoveryChoice } from '../flash/actions.js';
import type { RecoveryVerdict } from '../journal/recovery.js';
import { useBodySize } from './context.js';
import { wrappedRows } from './layout.js';
import { OTHER_CARDS_CHROME_ROWS, OtherCards } from './OtherCards.js';
import { recoveryChoices } from './recovery-choices.js';
import { RecoveryDetails } from './RecoveryDetails.js';
import { ScrollArea } from './ScrollArea.js';
import { shownDeep } from '../report/shown-event.js';

/** What the details keep at least, with their "more lines below" line. */
const MIN_DETAIL_ROWS = 6;
const NONE: readonly RecoveryVerdict[] = [];

export function RecoveryView({
  verdict: analysed,
  onChoose,
  isDisabled = false,
}: {
  readonly verdict: RecoveryVerdict | null;
  /** must be stable (useCallback): Select calls it again whenever it changes identity */
  readonly onChoose: (choice: RecoveryChoice) => void;
  readonly isDisabled?: boolean;
}) {
  // the verdict quotes journal fields: shown escaped (recovery.ts already escapes its own text)
  const verdict = shownDeep(analysed);
  const { width, height } = useBodySize();
  const options = useMemo(() => recoveryChoices(verdict), [verdict]);
  // the blank row and "What now?", then each option as Select wraps it beside its pointer
  const choiceRows = 2 + options.reduce((sum, o) => sum + wrappedRows(o.label, width - 3), 0);
  const otherRows = height - choiceRows - MIN_DETAIL_ROWS - OTHER_CARDS_CHROME_ROWS;
  const choose = useCallback((value: string) => onChoose(value as RecoveryChoice), [onChoose]);
  return (
    <Box flexDirection="column" flexGrow={1} flexShrink={1}>
      <ScrollArea>
        {verdict ? (
          <RecoveryDetails verdict={verdict} />
        ) : (
          <Text>No recovery verdict is available; the journal could not be analysed.</Text>
        )}
      </ScrollArea>
      <OtherCards verdicts={verdict?.otherCards ?? NONE} rows={otherRows} />
      <Box flexDirection="column" flexShrink={0} marginTop={1}>
        <Text bold>What now?</Text>
        <Select options={options} onChange={choose} isDisabled={isDisabled} />
      </Box>
    </Box>
  );
}

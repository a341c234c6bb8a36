/**
 * The recovery screen's body, shared by the wizard (state.recovery) and `recover` (a verdict):
 * the details scroll, the choices stay in view below them.
 */
import { Select } from '@inkjs/ui';
import { Box, Text } from 'ink';
import { useCallback, useMemo } from 'react';
import type { RecoveryChoice } from '../flash/actions.js';
import type { RecoveryVerdict } from '../journal/recovery.js';
import { recoveryChoices } from './recovery-choices.js';
import { RecoveryDetails } from './RecoveryDetails.js';
import { ScrollArea } from './ScrollArea.js';

export function RecoveryView({
  verdict,
  onChoose,
  isDisabled = false,
}: {
  readonly verdict: RecoveryVerdict | null;
  /** must be stable (useCallback): Select calls it again whenever it changes identity */
  readonly onChoose: (choice: RecoveryChoice) => void;
  readonly isDisabled?: boolean;
}) {
  const options = useMemo(() => recoveryChoices(verdict), [verdict]);
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
      <Box flexDirection="column" flexShrink={0} marginTop={1}>
        <Text bold>What now?</Text>
        <Select options={options} onChange={choose} isDisabled={isDisabled} />
      </Box>
    </Box>
  );
}

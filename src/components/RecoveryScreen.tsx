/** The wizard's first screen when the last flash did not finish (docs/architecture.md §3.1, §7). */
import { useCallback } from 'react';
import type { RecoveryChoice } from '../flash/actions.js';
import { useActions, useFlash, useGlyphs } from './context.js';
import { CHOOSE, move, QUIT, SCROLL } from './help.js';
import { RecoveryView } from './RecoveryView.js';
import { WizardFrame } from './WizardFrame.js';

export function RecoveryScreen() {
  const glyphs = useGlyphs();
  const actions = useActions();
  const verdict = useFlash((s) => s.recovery);
  const choose = useCallback((choice: RecoveryChoice) => actions.chooseRecovery(choice), [actions]);
  return (
    <WizardFrame help={[move(glyphs), CHOOSE, SCROLL, QUIT]}>
      <RecoveryView verdict={verdict} onChoose={choose} />
    </WizardFrame>
  );
}

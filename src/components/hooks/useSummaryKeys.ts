/** Enter leaves the summary (q, Esc and Ctrl-C are the root's). */
import { useInput, useStdin } from 'ink';
import { useActions } from '../context.js';

export function useSummaryKeys(): void {
  const actions = useActions();
  const { isRawModeSupported } = useStdin();
  useInput(
    (_input, key) => {
      if (key.return) actions.exit();
    },
    { isActive: Boolean(isRawModeSupported) },
  );
}

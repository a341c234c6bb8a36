/** The transfer screen's own key: Esc closes the abort confirmation (y/n/Enter are its input's). */
import { useInput, useStdin } from 'ink';
import { useActions, useFlash } from '../context.js';

export function useTransferKeys(): void {
  const actions = useActions();
  const prompt = useFlash((s) => s.interruptPrompt);
  const observer = useFlash((s) => s.observer);
  const { isRawModeSupported } = useStdin();
  useInput(
    (_input, key) => {
      if (key.escape) actions.dismissInterrupt();
    },
    { isActive: Boolean(isRawModeSupported) && prompt && !observer },
  );
}

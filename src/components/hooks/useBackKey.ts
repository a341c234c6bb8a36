/** Esc goes one step back on the screens before the device is opened. */
import { useInput, useStdin } from 'ink';
import { useActions, useFlash } from '../context.js';

export function useBackKey(isActive = true): void {
  const actions = useActions();
  const observer = useFlash((s) => s.observer);
  const { isRawModeSupported } = useStdin();
  useInput(
    (_input, key) => {
      if (key.escape) actions.back();
    },
    { isActive: Boolean(isRawModeSupported) && isActive && !observer },
  );
}

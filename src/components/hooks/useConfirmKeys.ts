/**
 * The review's y/N, as @inkjs/ui's ConfirmInput reads it (y confirms; n and Enter cancel), but
 * without its own Text node, so the `y/N` can end the question's sentence where it wraps.
 */
import { useInput, useStdin } from 'ink';

export function useConfirmKeys(onConfirm: () => void, onCancel: () => void): void {
  const { isRawModeSupported } = useStdin();
  useInput(
    (input, key) => {
      if (input.toLowerCase() === 'y') onConfirm();
      else if (input.toLowerCase() === 'n' || key.return) onCancel();
    },
    { isActive: Boolean(isRawModeSupported) },
  );
}

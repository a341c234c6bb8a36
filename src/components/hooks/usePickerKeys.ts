/** Esc in the picker: declines the override question, or goes back. */
import { useInput, useStdin } from 'ink';
import { useActions } from '../context.js';

export function usePickerKeys({
  overrideOpen,
  cancel,
}: {
  readonly overrideOpen: boolean;
  readonly cancel: () => void;
}): void {
  const actions = useActions();
  const { isRawModeSupported } = useStdin();
  useInput(
    (_input, key) => {
      if (!key.escape) return;
      if (overrideOpen) cancel();
      else actions.back();
    },
    { isActive: Boolean(isRawModeSupported) },
  );
}

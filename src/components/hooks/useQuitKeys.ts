/** q, Esc and Ctrl-C leave a stand-alone screen (status, history). */
import { useInput, useStdin } from 'ink';

export function useQuitKeys(
  onQuit: () => void,
  { escape = true }: { escape?: boolean } = {},
): void {
  const { isRawModeSupported } = useStdin();
  useInput(
    (input, key) => {
      if (input === 'q' || (key.ctrl && input === 'c') || (escape && key.escape)) onQuit();
    },
    { isActive: Boolean(isRawModeSupported) },
  );
}

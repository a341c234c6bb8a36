/** The history screen's state: the list, or one attempt; Esc goes back to the list. */
import { useInput, useStdin } from 'ink';
import { useCallback, useState } from 'react';

export function useHistoryNav(onQuit: () => void): {
  readonly selected: string | null;
  readonly round: number;
  select(id: string): void;
} {
  const [selected, setSelected] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  const { isRawModeSupported } = useStdin();
  useInput(
    (input, key) => {
      if (input === 'q' || (key.ctrl && input === 'c')) onQuit();
      else if (key.escape && selected !== null) {
        setSelected(null);
        setRound((r) => r + 1);
      } else if (key.escape) onQuit();
    },
    { isActive: Boolean(isRawModeSupported) },
  );
  const select = useCallback((id: string) => setSelected(id), []);
  return { selected, round, select };
}

/** PgUp/PgDn (and the arrows, on screens without a list) move a ScrollArea. */
import { useInput, useStdin } from 'ink';
import type { Dispatch, SetStateAction } from 'react';

export function useScrollKeys({
  max,
  page,
  arrows,
  setOffset,
}: {
  readonly max: number;
  readonly page: number;
  readonly arrows: boolean;
  readonly setOffset: Dispatch<SetStateAction<number>>;
}): void {
  const { isRawModeSupported } = useStdin();
  useInput(
    (_input, key) => {
      const by = (delta: number): void =>
        setOffset((o) => Math.max(0, Math.min(max, Math.min(o, max) + delta)));
      const step = Math.max(1, page - 1);
      if (key.pageDown) by(step);
      else if (key.pageUp) by(-step);
      else if (arrows && key.downArrow) by(1);
      else if (arrows && key.upArrow) by(-1);
    },
    { isActive: Boolean(isRawModeSupported) && max > 0 },
  );
}

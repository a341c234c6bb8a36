/** Stand-alone roots for `status`, `history` and `recover`: each owns its exit. */
import { useApp } from 'ink';
import { useCallback, useState } from 'react';
import type { RecoveryChoice } from '../flash/actions.js';
import type { RecoveryVerdict } from '../journal/recovery.js';
import type { Attempt } from '../journal/records.js';
import type { StatusSnapshot } from '../report/status-snapshot.js';
import { Frame } from './Frame.js';
import { useGlyphs } from './context.js';
import { CHOOSE, move, SCROLL } from './help.js';
import type { RunningAttempt } from './history-text.js';
import { HistoryScreen } from './HistoryScreen.js';
import { useQuitKeys } from './hooks/useQuitKeys.js';
import { RecoveryView } from './RecoveryView.js';
import { StatusScreen } from './StatusScreen.js';

export function StatusRoot({
  snapshot,
  watch,
}: {
  readonly snapshot: StatusSnapshot;
  readonly watch: boolean;
}) {
  const { exit } = useApp();
  const quit = useCallback(() => exit(), [exit]);
  return <StatusScreen snapshot={snapshot} watch={watch} onQuit={quit} />;
}

export function HistoryRoot({
  attempts,
  running,
  simulated,
}: {
  readonly attempts: readonly Attempt[];
  readonly running: RunningAttempt | null;
  readonly simulated: boolean;
}) {
  const { exit } = useApp();
  const quit = useCallback(() => exit(), [exit]);
  return (
    <HistoryScreen attempts={attempts} running={running} simulated={simulated} onQuit={quit} />
  );
}

/** `recover`: the verdict and its choices; exits with the choice (q and Ctrl-C choose quit). */
export function RecoveryRoot({ verdict }: { readonly verdict: RecoveryVerdict }) {
  const glyphs = useGlyphs();
  const { exit } = useApp();
  const [chosen, setChosen] = useState(false);
  const choose = useCallback(
    (choice: RecoveryChoice) => {
      setChosen(true);
      exit(choice);
    },
    [exit],
  );
  const quit = useCallback(() => choose('quit'), [choose]);
  useQuitKeys(quit, { escape: false });
  return (
    <Frame
      title="Recovery"
      simulated={verdict.attempt?.start.simulated ?? false}
      ctrlC={{ text: 'Ctrl-C or q quits; nothing here touches the adapter.', tone: 'calm' }}
      help={[move(glyphs), CHOOSE, SCROLL, { keys: 'q', does: 'quit' }]}
    >
      <RecoveryView verdict={verdict} onChoose={choose} isDisabled={chosen} />
    </Frame>
  );
}

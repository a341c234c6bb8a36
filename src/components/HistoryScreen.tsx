/** `history`: every attempt from the journal, most recent first; Enter shows one in full. */
import { Select } from '@inkjs/ui';
import { Box, Text } from 'ink';
import { useMemo } from 'react';
import type { Attempt } from '../journal/records.js';
import { AttemptDetails } from './AttemptDetails.js';
import { useBodySize, useGlyphs } from './context.js';
import { Frame } from './Frame.js';
import { CHOOSE, move, QUIT, scrollAll } from './help.js';
import { historyLabel, sortAttempts, type RunningAttempt } from './history-text.js';
import { useHistoryNav } from './hooks/useHistoryNav.js';
import { ScrollArea } from './ScrollArea.js';
import { shownDeep } from '../report/shown-event.js';

function HistoryList({
  attempts,
  running,
  onSelect,
}: {
  readonly attempts: readonly Attempt[];
  readonly running: RunningAttempt | null;
  readonly onSelect: (id: string) => void;
}) {
  const { width, height } = useBodySize();
  const options = useMemo(
    () => attempts.map((a) => ({ label: historyLabel(a, width - 3, running), value: a.start.id })),
    [attempts, width, running],
  );
  if (attempts.length === 0) return <Text>The journal records no flash attempt.</Text>;
  return (
    <Box flexDirection="column">
      <Select
        options={options}
        onChange={onSelect}
        visibleOptionCount={Math.max(1, Math.floor((height - 2) / 2))}
      />
      <Text dimColor>
        {attempts.length} attempt{attempts.length === 1 ? '' : 's'}, most recent first; * marks a
        simulated adapter
      </Text>
    </Box>
  );
}

export function HistoryScreen({
  attempts: journalAttempts,
  running: lockRunning = null,
  simulated = false,
  onQuit,
}: {
  readonly attempts: readonly Attempt[];
  /** the attempt a live flasher runs now (from the lock): in progress, not unfinished */
  readonly running?: RunningAttempt | null;
  readonly simulated?: boolean;
  readonly onQuit: () => void;
}) {
  // journal fields and lock details are outside strings: shown escaped (cached by identity)
  const attempts = shownDeep(journalAttempts);
  const running = shownDeep(lockRunning);
  const glyphs = useGlyphs();
  const sorted = useMemo(() => sortAttempts(attempts), [attempts]);
  const { selected, round, select } = useHistoryNav(onQuit);
  const attempt = sorted.find((a) => a.start.id === selected) ?? null;
  const help = attempt
    ? [scrollAll(glyphs), { keys: 'Esc', does: 'back to the list' }, QUIT]
    : [move(glyphs), CHOOSE, QUIT];
  return (
    <Frame title="History" simulated={simulated} help={help}>
      {attempt ? (
        <ScrollArea arrows>
          <AttemptDetails attempt={attempt} running={running} />
        </ScrollArea>
      ) : (
        <HistoryList key={round} attempts={sorted} running={running} onSelect={select} />
      )}
    </Frame>
  );
}

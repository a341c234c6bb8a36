/**
 * `status [--watch]`: cards, AFUs, users, driver and kernel state, a flash in progress, the last
 * flash. The command refreshes the snapshot; the frame keeps its height, so a refresh rewrites
 * only the lines that changed (no flicker with incremental rendering).
 */
import { StatusMessage } from '@inkjs/ui';
import { Box, Text } from 'ink';
import type { StatusSnapshot } from '../report/status-snapshot.js';
import { CardBlock } from './CardBlock.js';
import { useGlyphs } from './context.js';
import { Frame } from './Frame.js';
import { plain } from './glyphs.js';
import { scrollAll } from './help.js';
import { useQuitKeys } from './hooks/useQuitKeys.js';
import { formatWhen, formatWhenExact } from './layout.js';
import { ScrollArea } from './ScrollArea.js';
import { Section } from './Section.js';
import { SystemFacts } from './SystemFacts.js';
import { shownDeep } from '../report/shown-event.js';

export function StatusScreen({
  snapshot: read,
  watch,
  onQuit,
}: {
  readonly snapshot: StatusSnapshot;
  readonly watch: boolean;
  readonly onQuit: () => void;
}) {
  // sysfs, device-tree, /proc, lock and journal strings: shown escaped
  const snapshot = shownDeep(read);
  const glyphs = useGlyphs();
  useQuitKeys(onQuit);
  const help = [{ keys: 'q/Esc/Ctrl-C', does: 'quit' }, scrollAll(glyphs)];
  return (
    <Frame title={watch ? 'Status (live)' : 'Status'} simulated={snapshot.simulated} help={help}>
      <Text dimColor>
        {watch ? 'Refreshed' : 'Read'}{' '}
        {watch ? formatWhenExact(snapshot.time) : formatWhen(snapshot.time)}
        {watch ? `${glyphs.sep}read-only: nothing here touches an adapter` : ''}
      </Text>
      <ScrollArea arrows>
        <Section title="System">
          <SystemFacts snapshot={snapshot} />
        </Section>
        <Section title={`Cards (${snapshot.cards.length})`}>
          {snapshot.cards.length === 0 ? (
            <Text>
              {snapshot.flash?.reprobing
                ? plain(
                    glyphs,
                    `${snapshot.flash.card ?? 'The flashed card'}${snapshot.flash.locationCode ? ` at ${snapshot.flash.locationCode}` : ''} is being re-probed by the kernel after the flash; it appears again when the probe ends.`,
                  )
                : 'No CAPI card is visible in /sys/class/cxl.'}
            </Text>
          ) : null}
          {snapshot.cards.map((card) => (
            <Box key={card.name} marginBottom={1}>
              <CardBlock card={card} />
            </Box>
          ))}
        </Section>
        {snapshot.problems.length > 0 ? (
          <Section title="Problems reading the system">
            {snapshot.problems.map((p) => (
              <StatusMessage key={p} variant="warning">
                {plain(glyphs, p)}
              </StatusMessage>
            ))}
          </Section>
        ) : null}
      </ScrollArea>
    </Frame>
  );
}

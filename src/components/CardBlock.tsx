/** One card, every fact the picker and the dashboard show about it. */
import { Box, Text } from 'ink';
import type { CardSummary } from '../flash/events.js';
import { afuText, idsText, lastFlashText, locationOf, revisionText, who } from './card-text.js';
import { useGlyphs } from './context.js';

export function CardBlock({ card }: { readonly card: CardSummary }) {
  const glyphs = useGlyphs();
  return (
    <Box flexDirection="column" flexShrink={0}>
      <Text>
        <Text bold>{card.name}</Text> {locationOf(card)}
      </Text>
      <Box flexDirection="column" paddingLeft={2}>
        <Text>
          {idsText(card)}
          {glyphs.sep}
          {revisionText(card)}
        </Text>
        {card.afus.length === 0 ? <Text>AFUs: none visible</Text> : null}
        {card.afus.map((afu) => (
          <Text key={afu.name} color={afu.users.length > 0 ? 'yellow' : undefined}>
            {afu.users.length > 0 ? `${glyphs.warn} ` : ''}
            {afuText(afu)}
          </Text>
        ))}
        {card.holders.length > 0 ? (
          <Text color="yellow">
            {glyphs.warn} /dev/cxl/{card.name} is held by {card.holders.map(who).join(', ')}
          </Text>
        ) : null}
        <Text dimColor>Last flash: {lastFlashText(card)}</Text>
      </Box>
    </Box>
  );
}

/** A recovery verdict in words (docs/architecture.md §7): what happened, the adapter now, the safe step. */
import { Box, Text } from 'ink';
import type { RecoveryVerdict } from '../journal/recovery.js';
import { useGlyphs } from './context.js';
import { plain } from './glyphs.js';
import { Section } from './Section.js';

export function RecoveryDetails({ verdict }: { readonly verdict: RecoveryVerdict }) {
  const glyphs = useGlyphs();
  const { next } = verdict;
  return (
    <Box flexDirection="column" flexShrink={0}>
      <Section title="What happened" first>
        <Text>{plain(glyphs, verdict.happened)}</Text>
      </Section>
      <Section title="The adapter now">
        <Text>{plain(glyphs, verdict.adapterNow)}</Text>
      </Section>
      <Section title="The one safe next step">
        <Text>{plain(glyphs, next.explanation)}</Text>
        {next.command ? (
          <Text bold>
            {glyphs.arrow} {next.command}
          </Text>
        ) : null}
      </Section>
      {verdict.doNot.length > 0 ? (
        <Section title="Do not">
          {verdict.doNot.map((line) => (
            <Text key={line} color="yellow">
              {glyphs.warn} {plain(glyphs, line)}
            </Text>
          ))}
        </Section>
      ) : null}
    </Box>
  );
}

/** The end of a run: result, timings, largest gap, before/after, journal id, next step. */
import { StatusMessage } from '@inkjs/ui';
import { Text } from 'ink';
import { formatMs } from '../report/format.js';
import { CardCompare } from './CardCompare.js';
import { useFlash, useGlyphs } from './context.js';
import { FailureDetails } from './FailureDetails.js';
import { Field } from './Field.js';
import { plain } from './glyphs.js';
import { useSummaryKeys } from './hooks/useSummaryKeys.js';
import { OUTCOME } from './outcome.js';
import { ScrollArea } from './ScrollArea.js';
import { Section } from './Section.js';
import { LIMIT_TEXT } from './gap-level.js';
import { WizardFrame } from './WizardFrame.js';

const HELP = [{ keys: 'Enter/q/Esc', does: 'exit' }];
const PHASES = ['download', 'validate', 'reload', 'total'] as const;

export function SummaryScreen() {
  const glyphs = useGlyphs();
  const result = useFlash((s) => s.result);
  const error = useFlash((s) => s.error);
  useSummaryKeys();
  if (!result)
    return (
      <WizardFrame help={HELP}>
        <Text>The run ended without a result; the journal has what is known.</Text>
      </WizardFrame>
    );
  const { variant, word } = OUTCOME[result.outcome];
  const durations = PHASES.filter((p) => result.durationsMs[p] !== undefined);
  return (
    <WizardFrame help={HELP}>
      <ScrollArea arrows>
        <StatusMessage variant={variant}>
          <Text bold>{word}</Text> {plain(glyphs, result.message)} (exit code {result.exitCode})
        </StatusMessage>
        {error ? (
          <Section title="What went wrong">
            <FailureDetails error={error} nextStep={result.nextStep} />
          </Section>
        ) : null}
        <Section title="Next step">
          <Text bold>{plain(glyphs, result.nextStep)}</Text>
        </Section>
        <Section title="Record">
          <Field label="Journal id">{result.journalId ?? 'none (the device was not opened)'}</Field>
          {durations.map((p) => (
            <Field
              key={p}
              label={p === 'total' ? 'Total time' : `${p[0]?.toUpperCase()}${p.slice(1)}`}
            >
              {plain(glyphs, formatMs(result.durationsMs[p] ?? null))}
            </Field>
          ))}
          <Field label="Largest gap">
            {result.largestGapMs === null
              ? 'no calls were made'
              : plain(
                  glyphs,
                  `${formatMs(result.largestGapMs)}${result.gapP99Ms === null ? '' : `, 99% within ${formatMs(Math.max(1, Math.ceil(result.gapP99Ms)))}`} (limit ${LIMIT_TEXT})`,
                )}
          </Field>
        </Section>
        {result.before || result.after ? (
          <Section title="The adapter">
            <CardCompare before={result.before} after={result.after} />
          </Section>
        ) : null}
      </ScrollArea>
    </WizardFrame>
  );
}

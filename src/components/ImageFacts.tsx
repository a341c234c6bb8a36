/** What is known about the image: file, checksum, format, chunk plan, compatibility. */
import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { chunkPlan } from '../image/chunk-plan.js';
import { formatBytes, formatCount } from '../report/format.js';
import type { ImageInfo } from '../store.js';
import { useGlyphs } from './context.js';
import { Field } from './Field.js';
import { plain, type Glyphs } from './glyphs.js';
import type { ReportView } from './image-report.js';

function verdictLine(glyphs: Glyphs, verdict: string): string {
  if (verdict === 'match') return `${glyphs.pass} match`;
  if (verdict === 'mismatch') return `${glyphs.fail} MISMATCH`;
  if (verdict === 'partial') return `${glyphs.warn} partly compared`;
  if (verdict === 'not-compared') return `${glyphs.info} not compared`;
  return verdict;
}

/** The report's summary repeats the verdict ("Not compared: ..."); the line shows it once. */
function withoutVerdict(summary: string): string {
  return summary.replace(/^(not compared|match|mismatch|partly compared):\s*/i, '');
}

export function ImageFacts({
  image,
  report,
}: {
  readonly image: ImageInfo;
  readonly report: ReportView;
}) {
  const glyphs = useGlyphs();
  const derived = useMemo(() => {
    const calls = chunkPlan(image.size).calls;
    return { first: calls[0]?.lenData ?? null, last: calls.at(-1)?.lenData ?? null };
  }, [image.size]);
  const first = report.plan?.firstLenData ?? derived.first;
  const last = report.plan?.lastLenData ?? derived.last;
  const compat = report.compatibility;
  return (
    <Box flexDirection="column" flexShrink={0}>
      <Field label="File" token>
        {image.path}
      </Field>
      <Field label="Size">
        {`${formatBytes(image.size)} (${formatCount(image.size)} bytes${report.payloadOffset ? `, after a ${report.payloadOffset}-byte header in the file` : ''})`}
      </Field>
      <Field label="SHA-256" token>
        {image.sha256}
      </Field>
      {report.checksum ? (
        <Field label="Checksum">
          {plain(
            glyphs,
            `${report.checksum.status}${report.checksum.detail ? `: ${report.checksum.detail}` : ''}`,
          )}
        </Field>
      ) : null}
      <Field label="Format">
        {plain(
          glyphs,
          `${image.format}${report.formatEvidence ? ` (${report.formatEvidence})` : ''}`,
        )}
      </Field>
      <Field label="Chunk plan">
        {`${image.callsPerPass} download calls, then ${image.callsPerPass} validate calls; the first carries the header request and ${first === null ? '0' : formatCount(first)} bytes, the last ${last === null ? '0' : formatCount(last)} bytes`}
      </Field>
      {compat ? (
        <Field label="Compatibility">
          <Box flexDirection="column">
            <Text bold>
              {verdictLine(glyphs, compat.verdict)}
              {compat.summary ? `: ${plain(glyphs, withoutVerdict(compat.summary))}` : ''}
            </Text>
            {compat.explanation.map((line) => (
              <Text key={line}>{plain(glyphs, line)}</Text>
            ))}
            {compat.advice ? <Text>{plain(glyphs, compat.advice)}</Text> : null}
          </Box>
        </Field>
      ) : null}
    </Box>
  );
}

/** Everything the journal holds about one attempt. */
import { Box, Text } from 'ink';
import type { Attempt } from '../journal/records.js';
import { formatBytes, formatCount, formatId, formatMs } from '../report/format.js';
import { useGlyphs } from './context.js';
import { Field } from './Field.js';
import { plain } from './glyphs.js';
import {
  durationMs,
  largestGapMs,
  outcomeLabel,
  runningOf,
  type RunningAttempt,
} from './history-text.js';
import { formatWhen } from './layout.js';
import { Section } from './Section.js';

/** Why an attempt has a terminal record or not, after its outcome. */
function outcomeNote(attempt: Attempt, running: RunningAttempt | null): string {
  if (attempt.terminal) return `: ${attempt.terminal.message}`;
  return runningOf(attempt, running)
    ? ': no terminal record yet, its flasher is still running (watch it with cxl-flasher attach)'
    : ': no terminal record (the process ended without one)';
}

export function AttemptDetails({
  attempt,
  running = null,
}: {
  readonly attempt: Attempt;
  /** the attempt a live flasher runs now, if any (history-text.ts) */
  readonly running?: RunningAttempt | null;
}) {
  const glyphs = useGlyphs();
  const { start: s, terminal: t, lastProgress: p } = attempt;
  const live = runningOf(attempt, running) !== null;
  const c = s.card;
  return (
    <Box flexDirection="column" flexShrink={0}>
      <Section title={`Attempt ${s.id}`} first>
        <Field label="Outcome">
          <Text bold>
            {outcomeLabel(attempt, running)}
            {plain(glyphs, outcomeNote(attempt, running))}
          </Text>
        </Field>
        <Field label="Started">{`${formatWhen(s.time)} by ${s.user}@${s.host}${s.sshClient ? ` from ${s.sshClient.split(' ')[0]}` : ''}, pid ${s.pid}, version ${s.toolVersion}${s.simulated ? ', SIMULATED ADAPTER' : ''}`}</Field>
        <Field label="Took">
          {live ? 'still running' : plain(glyphs, formatMs(durationMs(attempt)))}
        </Field>
        <Field label="Largest gap">{plain(glyphs, formatMs(largestGapMs(attempt)))}</Field>
        {p ? (
          <Field label="Last progress">{`${p.phase} call ${p.call} of ${p.calls} at ${formatWhen(p.time)}`}</Field>
        ) : null}
      </Section>
      <Section title="Card">
        <Field label="Card">{`${c.name} at ${c.locationCode ?? 'no location code'}`}</Field>
        <Field label="IDs">{`${formatId(c.vendorId)} ${formatId(c.deviceId)}, subsystem ${formatId(c.subsystemVendorId)} ${formatId(c.subsystemId)}`}</Field>
        <Field label="PSL revision">{`${c.pslRevision ?? 'unknown'} before${t?.after ? `, ${t.after.pslRevision ?? 'unknown'} after` : ''}`}</Field>
      </Section>
      <Section title="Image">
        <Field label="File" token>
          {s.image.path}
        </Field>
        <Field label="Size">{`${formatBytes(s.image.size)} (${formatCount(s.image.size)} bytes), ${s.callsPerPass} calls per pass`}</Field>
        <Field label="SHA-256" token>
          {s.image.sha256}
        </Field>
      </Section>
      {t && t.type !== 'success' ? (
        <Section title="Where it stopped">
          <Field label="Phase">{`${t.phase}${t.call === null ? '' : `, call ${t.call + 1}`}`}</Field>
          <Field label="Error">
            {t.errnoName ? `${t.errnoName}${t.errno === null ? '' : ` (${t.errno})`}` : 'none'}
          </Field>
          <Field label="Hypervisor">
            {t.hcall ? `${t.hcall.name} (${t.hcall.rc})` : 'no return code found'}
          </Field>
          <Field label="Exit code">{String(t.exitCode)}</Field>
        </Section>
      ) : null}
    </Box>
  );
}

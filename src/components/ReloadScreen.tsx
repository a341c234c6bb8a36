/** After the validate returned 0: the kernel reloads the adapter; we wait for it to return. */
import { Spinner } from '@inkjs/ui';
import { Box, Text } from 'ink';
import type { ReloadSnapshot } from '../flash/events.js';
import { formatClock, percent } from '../report/format.js';
import { Bar, progressRow } from './Bar.js';
import { useBodySize, useFlash, useGlyphs } from './context.js';
import { Field } from './Field.js';
import { plain } from './glyphs.js';
import { WarningList } from './WarningList.js';
import { WizardFrame } from './WizardFrame.js';

const HELP = [{ keys: 'Ctrl-C', does: 'is deferred until the adapter is back' }];

const STAGES: Readonly<Record<ReloadSnapshot['state'], string>> = {
  closing: '1 of 4: closing the card device',
  'waiting-for-disappearance': '2 of 4: waiting for the old card to go away',
  'waiting-for-return': '3 of 4: waiting for the card to come back',
  verifying: '4 of 4: reading the new properties',
};

export function ReloadScreen() {
  return (
    <WizardFrame help={HELP}>
      <ReloadBody />
    </WizardFrame>
  );
}

/** Inside the frame, so the bar is as wide as the body allows. */
function ReloadBody() {
  const glyphs = useGlyphs();
  const body = useBodySize();
  const reload = useFlash((s) => s.reload);
  const card = useFlash((s) => s.card);
  const elapsed = (reload?.elapsedMs ?? 0) / 1000;
  const deadline = (reload?.deadlineMs ?? 0) / 1000;
  const pct = deadline > 0 ? percent(elapsed, deadline) : 0;
  const detail = plain(
    glyphs,
    `${formatClock(elapsed)} of the ${formatClock(reload ? deadline : null)} deadline`,
  );
  // the Field's label column and the body's width
  const { cells, detailBeside } = progressRow(body.width - 14, '', '', detail);
  return (
    <Box flexDirection="column">
      <Text>
        {glyphs.pass} Validation passed: the new image is written. The kernel now removes the AFUs,
        resets the adapter and probes it again; the card may come back under another number, so it
        is matched by its location code
        {card?.locationCode ? ` ${card.locationCode}` : ''}.
      </Text>
      <Box marginY={1}>
        <Spinner
          type={glyphs.spinner}
          label={plain(glyphs, reload?.message ?? 'Closing the card device.')}
        />
      </Box>
      <Field label="Stage">{reload ? STAGES[reload.state] : STAGES.closing}</Field>
      <Field label="Elapsed">
        <Box flexDirection="column">
          <Text>
            <Bar percent={pct} width={Math.min(cells, 30)} />
            {detailBeside ? ` ${detail}` : ''}
          </Text>
          {detailBeside ? null : <Text>{detail}</Text>}
        </Box>
      </Field>
      <Box marginTop={1} flexDirection="column">
        <WarningList max={2} />
      </Box>
    </Box>
  );
}

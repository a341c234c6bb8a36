/** The image is read into memory and hashed, before any device is opened. */
import { Spinner } from '@inkjs/ui';
import { Box, Text } from 'ink';
import { formatBytes, percent } from '../report/format.js';
import { Bar, progressRow } from './Bar.js';
import { useBodySize, useFlash, useGlyphs } from './context.js';
import { BACK, QUIT } from './help.js';
import { useBackKey } from './hooks/useBackKey.js';
import { WizardFrame } from './WizardFrame.js';

const HELP = [BACK, QUIT];

export function LoadingImageScreen() {
  useBackKey();
  return (
    <WizardFrame help={HELP}>
      <Box flexDirection="column" gap={1}>
        <Text>
          Reading the whole image into memory and computing its SHA-256. The card device is not
          opened until you confirm.
        </Text>
        <Hashing />
      </Box>
    </WizardFrame>
  );
}

/** Inside the frame, so the bar is as wide as the body allows. */
function Hashing() {
  const glyphs = useGlyphs();
  const body = useBodySize();
  const bytes = useFlash((s) => s.hashing?.bytes ?? null);
  const total = useFlash((s) => s.hashing?.totalBytes ?? null);
  if (bytes === null || total === null)
    return <Spinner type={glyphs.spinner} label="Opening the image file" />;
  const pct = percent(bytes, total);
  const pctText = `${String(pct).padStart(3)}%`;
  const detail = `${formatBytes(bytes)} of ${formatBytes(total)}`;
  const { cells, detailBeside } = progressRow(body.width, '', pctText, detail);
  return (
    <Box flexDirection="column">
      <Text>
        <Bar percent={pct} width={cells} />
        {cells > 0 ? ' ' : ''}
        {pctText}
        {detailBeside ? ` ${detail}` : ''}
      </Text>
      {detailBeside ? null : <Text>{detail}</Text>}
    </Box>
  );
}

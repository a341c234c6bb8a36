/** The image is read into memory and hashed, before any device is opened. */
import { ProgressBar, Spinner } from '@inkjs/ui';
import { Box, Text } from 'ink';
import { formatBytes, percent } from '../report/format.js';
import { useFlash, useGlyphs } from './context.js';
import { BACK, QUIT } from './help.js';
import { useBackKey } from './hooks/useBackKey.js';
import { WizardFrame } from './WizardFrame.js';

const HELP = [BACK, QUIT];
const BAR_WIDTH = 40;

export function LoadingImageScreen() {
  const glyphs = useGlyphs();
  const bytes = useFlash((s) => s.hashing?.bytes ?? null);
  const total = useFlash((s) => s.hashing?.totalBytes ?? null);
  useBackKey();
  return (
    <WizardFrame help={HELP}>
      <Box flexDirection="column" gap={1}>
        <Text>
          Reading the whole image into memory and computing its SHA-256. The card device is not
          opened until you confirm.
        </Text>
        {bytes === null || total === null ? (
          <Spinner type={glyphs.spinner} label="Opening the image file" />
        ) : (
          <Box gap={2}>
            <Box width={BAR_WIDTH} flexShrink={0}>
              <ProgressBar value={percent(bytes, total)} />
            </Box>
            <Text>
              {percent(bytes, total)}% {formatBytes(bytes)} of {formatBytes(total)}
            </Text>
          </Box>
        )}
      </Box>
    </WizardFrame>
  );
}

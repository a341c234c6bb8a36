/** Waiting for open() on the card device, which blocks while anyone holds any card device. */
import { Spinner } from '@inkjs/ui';
import { Box, Text } from 'ink';
import { who } from './card-text.js';
import { useFlash, useGlyphs } from './context.js';
import { QUIT } from './help.js';
import { WizardFrame } from './WizardFrame.js';

const HELP = [{ keys: 'q/Ctrl-C', does: 'stop waiting' }];

export function OpeningScreen() {
  const glyphs = useGlyphs();
  const card = useFlash((s) => s.card);
  const observer = useFlash((s) => s.observer);
  const device = card ? `/dev/cxl/${card.name}` : 'the card device';
  return (
    <WizardFrame help={observer ? [QUIT] : HELP}>
      <Box flexDirection="column" gap={1}>
        <Spinner
          type={glyphs.spinner}
          label={`Opening ${device}${card?.locationCode ? ` (${card.locationCode})` : ''}`}
        />
        <Text>
          The kernel lets one process at a time hold a CAPI card device, on the whole system: while
          another process holds any of them, this open waits for it to close. Nothing has been
          written to the adapter yet.
        </Text>
        {card && card.holders.length > 0 ? (
          <Text color="yellow">
            {glyphs.warn} {device} was held by {card.holders.map(who).join(', ')} when the card was
            chosen.
          </Text>
        ) : null}
      </Box>
    </WizardFrame>
  );
}

/** Download and validate: progress, the chunk map, the call timing, and the abort dialog. */
import { Box, Text } from 'ink';
import { basename } from 'node:path';
import { formatBytes, formatClock } from '../report/format.js';
import { CallTiming } from './CallTiming.js';
import { ChunkMap } from './ChunkMap.js';
import { useBodySize, useFlash, useGlyphs } from './context.js';
import { gapLevel, isLongBusy } from './gap-level.js';
import { plain } from './glyphs.js';
import { useTransferKeys } from './hooks/useTransferKeys.js';
import { fullPromptRows, InterruptPrompt } from './InterruptPrompt.js';
import { transferBudget } from './transfer-budget.js';
import { TransferStats } from './TransferStats.js';
import { WarningList } from './WarningList.js';
import { WizardFrame } from './WizardFrame.js';

const HELP = [
  { keys: 'Ctrl-C or q', does: 'abort (asks first)' },
  { keys: 'Ctrl-Z', does: 'refused while the device is open' },
];

export function TransferScreen() {
  return (
    <WizardFrame help={HELP}>
      <TransferBody />
    </WizardFrame>
  );
}

/** Inside the frame, so it knows the rows it may use. */
function TransferBody() {
  const glyphs = useGlyphs();
  const body = useBodySize();
  const validate = useFlash((s) => s.phase === 'validate');
  const snapshot = useFlash((s) => (validate ? s.transfer.validate : s.transfer.download) ?? null);
  const download = useFlash((s) => (validate ? (s.transfer.download ?? null) : null));
  const card = useFlash((s) => s.card);
  const image = useFlash((s) => s.image);
  const warnings = useFlash((s) => s.warnings.length);
  const prompt = useFlash((s) => s.interruptPrompt && !s.observer);
  useTransferKeys();
  const gap = snapshot?.gapSinceReturnMs ?? null;
  const budget = transferBudget({
    bodyRows: body.height,
    width: body.width,
    calls: snapshot?.calls ?? image?.callsPerPass ?? 1,
    validate,
    timingRows:
      2 +
      (isLongBusy(snapshot?.inFlightMs ?? null) ? 3 : 0) +
      (gap !== null && gapLevel(gap) === 'critical' ? 1 : 0),
    warnings,
  });
  if (prompt && fullPromptRows(snapshot, body.width, glyphs.sep) + 6 > body.height)
    return <InterruptPrompt snapshot={snapshot} compact />;
  // On a short terminal the bar comes first; what is being flashed was on the review.
  const short = body.height < 10;
  return (
    <>
      {short ? null : (
        <Text>
          Flashing {image ? `${basename(image.path)} (${formatBytes(image.size)})` : 'the image'}{' '}
          onto {card ? `${card.name} at ${card.locationCode ?? 'no location code'}` : 'the card'}
        </Text>
      )}
      {download ? (
        <Text>
          {glyphs.pass}{' '}
          {plain(
            glyphs,
            `Download complete: ${download.calls} calls in ${formatClock(download.elapsedMs / 1000)}; now the whole image is sent again for validation.`,
          )}
        </Text>
      ) : null}
      <Box marginTop={short ? 0 : 1} flexDirection="column" flexShrink={0}>
        {snapshot ? (
          <TransferStats snapshot={snapshot} width={body.width} />
        ) : (
          <Text>Starting the {validate ? 'validate' : 'download'} pass.</Text>
        )}
      </Box>
      <Box marginTop={1} flexDirection="column" flexShrink={0}>
        {prompt ? (
          <InterruptPrompt snapshot={snapshot} />
        ) : (
          <ChunkMap
            chunks={snapshot?.chunks ?? 'p'.repeat(image?.callsPerPass ?? 0)}
            width={body.width}
            maxRows={budget.mapRows}
          />
        )}
      </Box>
      <Box marginTop={1} flexDirection="column" flexShrink={0}>
        {snapshot ? <CallTiming snapshot={snapshot} /> : null}
        {prompt ? null : <WarningList max={budget.warnings} />}
      </Box>
    </>
  );
}

/** The engine's image: the inspection of src/image, against the selected card. */
import { identityOf, type CardInfo } from '../hardware/types.js';
import { inspectImageFile } from '../image/inspect.js';
import type { FlashImage, ImageRequest } from './services.js';
import { shown } from '../terminal-text.js';

function adapterOf(card: CardInfo, simulated: boolean) {
  const loc = card.node.locationCode;
  return {
    name: card.name,
    label: loc.ok ? loc.value : null,
    identity: identityOf(card),
    simulated,
  };
}

export async function loadFlashImage(
  request: ImageRequest,
  simulated: boolean,
): Promise<FlashImage> {
  const { signal } = request;
  signal?.throwIfAborted();
  const { image, report } = await inspectImageFile(
    request.path,
    request.card ? adapterOf(request.card, simulated) : null,
    {
      sha256: request.expectedSha256,
      adapterNote: request.card
        ? `the selected adapter ${shown(request.card.name)}`
        : 'no adapter selected',
      // Called between two reads: throwing here stops the read (the file is closed) at once.
      onProgress: (bytes, total) => {
        signal?.throwIfAborted();
        request.onProgress?.(bytes, total);
      },
    },
  );
  signal?.throwIfAborted();
  return {
    path: image.path,
    size: image.payload.length,
    sha256: image.fileSha256,
    padded: image.padded,
    payloadOffset: image.payloadOffset,
    format: report.format.label,
    report,
    refusals: report.problems.map((p) => ({ message: p.message, fix: p.fix })),
    warnings: report.warnings,
  };
}

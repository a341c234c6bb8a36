/**
 * What a run publishes about the image it loads (docs/architecture.md §3.3): hashing progress, at most
 * every 100 ms and always the last, then the image with its chunk plan and its warnings; and the
 * refusal of bad input (exit 2), which comes after the image was shown.
 */
import { ExitCode, UserFacingError } from '../exit-codes.js';
import { chunkPlan } from '../image/chunk-plan.js';
import type { EventBus } from './event-bus.js';
import type { FlashImage } from './services.js';

/** The load's onProgress: a hashing event when 100 ms have passed, or the file is read. */
export function hashingProgress(bus: EventBus): (bytes: number, total: number) => void {
  let lastEmit = 0;
  return (bytes, total) => {
    const now = performance.now();
    if (now - lastEmit < 100 && bytes < total) return;
    lastEmit = now;
    bus.emit({ event: 'hashing', bytes, totalBytes: total });
  };
}

export function publishImage(bus: EventBus, image: FlashImage): void {
  bus.emit({
    event: 'image',
    path: image.path,
    size: image.size,
    sha256: image.sha256,
    format: image.format,
    callsPerPass: chunkPlan(image.size).calls.length,
    report: image.report,
  });
  for (const message of image.warnings) bus.emit({ event: 'warning', code: 'image', message });
}

/** Every refusal the inspection found, as one error; null when the image may be flashed. */
export function imageRefusal(image: FlashImage): UserFacingError | null {
  if (image.refusals.length === 0) return null;
  return new UserFacingError(
    image.refusals.map((r) => r.message).join(' '),
    ExitCode.BadInput,
    image.refusals.map((r) => r.fix).join(' '),
  );
}

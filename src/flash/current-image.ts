/**
 * Current versus new: what the adapter runs now, as far as the device tree (its PSL revision)
 * and the journal (the last successful flash of this card, by location code) know it, and what
 * a flash would put there. A re-flash of the image the journal says the card already runs is
 * refused without --force, as fwupd refuses to reinstall the same version.
 */
import type { PreflightCheck } from '../hardware/types.js';
import type { Attempt } from '../journal/records.js';
import type { CardSummary, FlashPlan } from './events.js';
import type { FlashImage } from './services.js';

/** The card's attempts, oldest first: by location code when it has one, else by name. */
export function attemptsOnCard(attempts: readonly Attempt[], card: CardSummary): Attempt[] {
  return attempts.filter((a) =>
    card.locationCode
      ? a.start.card.locationCode === card.locationCode
      : a.start.card.name === card.name,
  );
}

/** What the journal and the device tree say the card runs now. */
export function currentImage(
  attempts: readonly Attempt[],
  card: CardSummary,
): FlashPlan['current'] {
  const onCard = attemptsOnCard(attempts, card);
  const lastSuccess = [...onCard].reverse().find((a) => a.terminal?.type === 'success');
  const last = onCard[onCard.length - 1];
  if (!lastSuccess)
    return {
      pslRevision: card.pslRevision,
      image: null,
      certain: false,
      note: last
        ? `no flash of ${card.name} recorded in the journal succeeded; what it runs is known only by its PSL revision`
        : `the journal records no flash of ${card.name}; what it runs is known only by its PSL revision`,
    };
  const recordedRevision = lastSuccess.terminal?.after?.pslRevision ?? null;
  const laterFailure = last !== lastSuccess ? last : undefined;
  const revisionMoved =
    recordedRevision !== null && card.pslRevision !== null && recordedRevision !== card.pslRevision;
  let note: string | null = null;
  if (laterFailure)
    note = `a later attempt (${laterFailure.start.id}) ${laterFailure.terminal ? `ended ${laterFailure.terminal.type}` : 'never finished'}, so the card may no longer run it`;
  else if (revisionMoved)
    note = `the journal recorded PSL revision ${recordedRevision} after that flash, but the device tree shows ${card.pslRevision}: something else may have flashed the card since`;
  return {
    pslRevision: card.pslRevision,
    image: {
      path: lastSuccess.start.image.path,
      size: lastSuccess.start.image.size,
      sha256: lastSuccess.start.image.sha256,
      time: lastSuccess.terminal?.time ?? lastSuccess.start.time,
      journalId: lastSuccess.start.id,
    },
    certain: note === null,
    note,
  };
}

/** Current versus new, for the `plan` event. */
export function flashPlan(
  attempts: readonly Attempt[],
  card: CardSummary,
  image: FlashImage,
  callsPerPass: number,
  reloadTimeoutMs: number,
): FlashPlan {
  const current = currentImage(attempts, card);
  const sameImage = current.certain && current.image?.sha256 === image.sha256;
  return {
    card: { name: card.name, locationCode: card.locationCode },
    current,
    new: { path: image.path, size: image.size, sha256: image.sha256, format: image.format },
    sameImage,
    steps: [
      'take the flasher lock and record the attempt in the journal',
      `open /dev/cxl/${card.name} (opening it resets the adapter)`,
      `download the image in ${callsPerPass} calls (the first erases the stored image)`,
      `validate it in ${callsPerPass} calls`,
      `close the device and wait up to ${Math.round(reloadTimeoutMs / 1000)} s while the kernel reloads and re-probes the card`,
    ],
  };
}

/**
 * The `same-image` preflight check: a fail when the journal says the card already runs this
 * image (its last attempt succeeded with the same SHA-256), a warning with --force.
 */
export function sameImageCheck(plan: FlashPlan, force: boolean): PreflightCheck {
  const runs = plan.current.image;
  if (!plan.sameImage || !runs)
    return {
      id: 'same-image',
      label: 'New image',
      status: 'pass',
      message: runs
        ? `${plan.card.name} last ran sha256 ${runs.sha256.slice(0, 12)}…, not this image`
        : `the journal records no image on ${plan.card.name} to compare with`,
    };
  const already = `the journal says ${plan.card.name} already runs this image (sha256 ${runs.sha256.slice(0, 12)}…, flashed ${runs.time}, journal ${runs.journalId})`;
  if (force)
    return {
      id: 'same-image',
      label: 'New image',
      status: 'warn',
      message: `${already}; flashing it again because of --force`,
    };
  return {
    id: 'same-image',
    label: 'New image',
    status: 'fail',
    message: already,
    fix: 'Nothing to do if that is the image you want; to flash it again anyway, add --force.',
  };
}

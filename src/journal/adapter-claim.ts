/**
 * What may be said about an adapter's image after an attempt, from what is known to have
 * happened: did the attempt reach the erase (the journal), and what does the adapter itself
 * report now (the simulator's model; a real guest shows no image state in sysfs, so there it is
 * unknown). Pure; `recover` and the start screen use it for "The adapter now".
 */
import { shown } from '../terminal-text.js';
import { lastKnownPhase, type Attempt } from './records.js';

/** Whether the first download call, the one that erases the stored image, was accepted. */
export type Erasure = 'reached' | 'not-reached' | 'unknown';

/** The adapter's own report of its image: none on a real guest, the model on the simulator. */
export type ImageEvidence = 'valid' | 'factory' | 'none' | 'unknown';

/**
 * Hypervisor codes that refuse a call on its parameters or state, before any work (PAPR's
 * H_DOWNLOAD_CA_FACILITY checks); H_HARDWARE and unknown codes may come after the erase.
 */
const REFUSALS = new Set([
  'H_PARAMETER',
  'H_FUNCTION',
  'H_AUTHORITY',
  'H_STATE',
  'H_RESOURCE',
  'H_SG_LIST',
]);

export function erasureOf(attempt: Attempt): Erasure {
  const phase = lastKnownPhase(attempt);
  if (phase === 'validate' || phase === 'reload') return 'reached';
  if (phase !== 'download') return 'not-reached';
  const t = attempt.terminal;
  const progress = attempt.lastProgress;
  if (progress?.phase === 'download' && progress.call > 0) return 'reached';
  if (t && t.call !== null && t.call > 0) return 'reached';
  // An abort stops between calls: with no call completed, none was issued.
  if (t?.type === 'aborted' && t.call === null) return 'not-reached';
  return 'unknown';
}

/** The first download call was refused before any work: the hypervisor says which. */
export function refusedBeforeErase(attempt: Attempt): string | null {
  const t = attempt.terminal;
  if (!t || t.phase !== 'download' || t.call !== 0 || !t.hcall) return null;
  return REFUSALS.has(t.hcall.name) ? t.hcall.name : null;
}

/** The adapter still holds the image it had: it says so, or the journal shows no erase. */
export function intactBy(erasure: Erasure, evidence: ImageEvidence): boolean {
  if (evidence === 'valid' || evidence === 'factory') return erasure !== 'reached';
  return erasure === 'not-reached' && evidence === 'unknown';
}

/** "The adapter now", for a card that is present after an attempt that did not succeed. */
export function imageNowWords(cardName: string, attempt: Attempt, evidence: ImageEvidence): string {
  const erasure = erasureOf(attempt);
  const refused = refusedBeforeErase(attempt);
  const unvalidated =
    lastKnownPhase(attempt) === 'validate' ? ' and the validation never completed' : '';
  if (intactBy(erasure, evidence)) {
    const which = evidence === 'factory' ? ' (its factory image)' : '';
    return `${cardName} is present and still holds a valid image${which}: ${refused ? `the hypervisor refused download call 1 (${refused}) before erasing anything` : 'no download call was accepted, so nothing was erased'}.`;
  }
  if (evidence === 'factory')
    return `${cardName} runs its factory image: the download erased the flashed image, and the reset made the adapter fall back to the image it was built with. It works, but it does not hold ${shown(attempt.start.image.path)} until a complete download and validate succeed.`;
  if (evidence === 'none' || erasure === 'reached')
    return `${cardName} is present, but the download erased its image${unvalidated}: it has no valid image until a complete download and validate succeed.`;
  return `${cardName} is present. Download call 1 failed${refused ? ` (${refused})` : ''}, and whether the hypervisor erased the stored image before refusing it cannot be read from the adapter: treat it as having no valid image until a complete download and validate succeed.`;
}

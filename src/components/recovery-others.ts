/**
 * The other cards whose last attempt needs attention too (verdict.otherCards), one short line
 * each (pure): the card and its location code, the verdict, and what `cxl-flasher recover
 * --card LOC` would do for it. That command judges the card by the same last attempt, so its
 * verdict is the one in otherCards.
 */
import type { NextStepAction, RecoveryVerdict, VerdictKind } from '../journal/recovery.js';

const VERDICT_WORDS: Record<VerdictKind, string> = {
  'no-valid-image': 'no valid image',
  'factory-image': 'factory image (yours was erased)',
  'reload-unconfirmed': 'new image not confirmed',
  'card-missing': 'not visible',
  'driver-missing': 'unknown (the cxl driver is not loaded)',
  'flash-in-progress': 'being flashed',
  untouched: 'image never erased',
  'reload-verified': 'new image active',
  'nothing-to-recover': 'nothing to recover',
};

function wouldDo(action: NextStepAction, v: RecoveryVerdict): string {
  switch (action) {
    case 'reflash':
      return v.attempt
        ? `would offer to re-flash ${v.attempt.start.image.path}`
        : 'would offer a re-flash';
    case 'wait':
      return 'would say to wait for the card to come back';
    case 'verify':
      return 'would say to check that the new image is active';
    case 'load-driver':
      return 'would say to load the cxl driver';
    case 'attach':
      return 'would say to watch the running flash';
    case 'none':
      return 'would find nothing to do';
  }
}

/** What `recover --card` takes for this verdict's card: its location code, else its name. */
export function recoverCardArg(v: RecoveryVerdict): string | null {
  const card = v.attempt?.start.card;
  return card ? (card.locationCode ?? card.name) : null;
}

/** "card1 U78C9…-C6: no valid image; cxl-flasher recover --card U78C9…-C6 would offer to …" */
export function otherCardLine(v: RecoveryVerdict): string {
  const card = v.attempt?.start.card;
  const who = card ? `${card.name} ${card.locationCode ?? '(no location code)'}` : 'A card';
  const arg = recoverCardArg(v);
  const command = arg ? `cxl-flasher recover --card ${arg}` : 'cxl-flasher recover';
  return `${who}: ${VERDICT_WORDS[v.kind]}; ${command} ${wouldDo(v.next.action, v)}`;
}

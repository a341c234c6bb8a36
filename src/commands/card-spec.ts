/**
 * `--card` for the commands that read (status, recover): a name or location code that matches
 * neither a card on the machine nor a card in the journal is a usage error (exit 2), the same
 * answer `inspect` and `flash` give, instead of an empty report.
 */
import { cardNotFoundError, findCard } from '../hardware/cards.js';
import type { CardInfo } from '../hardware/types.js';
import type { Attempt } from '../journal/records.js';

/** Whether an attempt in the journal was made on the card `spec` names. */
function journaledOn(attempt: Attempt, spec: string): boolean {
  const card = attempt.start.card;
  return card.locationCode === spec || card.name === spec;
}

/** Throws the not-found error (exit 2) unless `spec` names a present or a journaled card. */
export function refuseUnknownCard(
  spec: string | undefined,
  cards: readonly CardInfo[],
  attempts: readonly Attempt[],
): void {
  if (spec === undefined || findCard(cards, spec)) return;
  if (attempts.some((a) => journaledOn(a, spec.trim()))) return;
  throw cardNotFoundError(cards, spec);
}

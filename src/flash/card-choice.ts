/**
 * Choosing the card (docs/architecture.md §3.2): every card summarised with its users, its last flash
 * and whoever holds the lock, for the picker; then the card --card names, or the only one. No
 * card at all is a refusal of the environment (exit 3), not a usage error.
 */
import { ExitCode, UserFacingError } from '../exit-codes.js';
import { selectCard } from '../hardware/cards.js';
import type { CardInfo } from '../hardware/types.js';
import type { Attempt } from '../journal/records.js';
import { busyRefusal } from './busy-refusal.js';
import { summariseCard } from './card-summary.js';
import type { CardSummary } from './events.js';
import type { EngineServices } from './services.js';

/** The cards as the picker shows them: their users and the lock's holder are read once, now. */
export function summariseCards(
  services: EngineServices,
  cards: readonly CardInfo[],
  attempts: readonly Attempt[],
): CardSummary[] {
  const users = services.deviceUsers();
  const holder = services.lockHolder();
  return cards.map((c) => summariseCard(c, users, attempts, holder));
}

/** One card as the picker would show it now (the adapter event). */
export function summariseCardNow(
  services: EngineServices,
  card: CardInfo,
  attempts: readonly Attempt[],
): CardSummary {
  return summariseCard(card, services.deviceUsers(), attempts, services.lockHolder());
}

/** The card `spec` names (a name or a location code); with none given, the only card there is. */
export function chooseCard(
  services: EngineServices,
  cards: readonly CardInfo[],
  spec: string | undefined,
): CardInfo {
  if (cards.length === 0) {
    // Another flasher's card is away in its reload: name that flasher (busy-refusal.ts).
    const busy = busyRefusal(services.lockHolder());
    if (busy) throw busy;
    // No card at all is a refusal of the environment (exit 3), not a usage error.
    throw new UserFacingError(
      'No CAPI card is visible in /sys/class/cxl.',
      ExitCode.PreflightRefused,
      'Run `cxl-flasher doctor` to see why (driver, guest mode).',
    );
  }
  return selectCard(cards, spec);
}

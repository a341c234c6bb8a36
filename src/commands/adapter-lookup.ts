/** How `inspect` finds the adapter to compare an image with: discovery on the context's root. */
import { locationCodeOf, readCards, selectCard } from '../hardware/cards.js';
import { identityOf } from '../hardware/types.js';
import type { AdapterSelection, ResolveAdapter } from './inspect.js';

export const discoverAdapter: ResolveAdapter = async (
  context,
  cardSpec,
): Promise<AdapterSelection> => {
  const cards = readCards(context.root);
  if (cardSpec === undefined && cards.length !== 1) {
    return {
      adapter: null,
      note:
        cards.length === 0
          ? 'no adapter found on this machine: IDs are not compared'
          : `${cards.length} adapters found: pass --card to compare IDs with one of them`,
    };
  }
  // A --card that matches nothing is a usage error naming the cards that exist (exit 2).
  const card = selectCard(cards, cardSpec);
  return {
    adapter: {
      name: card.name,
      label: locationCodeOf(card),
      identity: identityOf(card),
      simulated: context.simulated,
    },
    note: cardSpec === undefined ? `the only adapter, ${card.name}` : `--card ${cardSpec}`,
  };
};

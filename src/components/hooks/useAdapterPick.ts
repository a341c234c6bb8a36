/**
 * The picker's state: choosing a free card selects it; choosing a card in use opens the
 * override question first. Cancelling remounts the list (`round`), because Select does not
 * report choosing the same option twice.
 */
import { useCallback, useState } from 'react';
import type { CardSummary } from '../../flash/events.js';
import { isBusy } from '../card-text.js';
import { useActions } from '../context.js';

export interface AdapterPick {
  /** the card in use waiting for the override answer */
  readonly pending: CardSummary | null;
  /** the Select's key; changes when the override is declined */
  readonly round: number;
  pick(name: string): void;
  override(): void;
  cancel(): void;
}

export function useAdapterPick(cards: readonly CardSummary[]): AdapterPick {
  const actions = useActions();
  const [pendingName, setPendingName] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  const pick = useCallback(
    (name: string) => {
      const card = cards.find((c) => c.name === name);
      if (!card) return;
      if (isBusy(card)) setPendingName(name);
      else actions.selectAdapter(name);
    },
    [cards, actions],
  );
  const override = useCallback(() => {
    if (pendingName) actions.selectAdapter(pendingName, { override: true });
  }, [pendingName, actions]);
  const cancel = useCallback(() => {
    setPendingName(null);
    setRound((r) => r + 1);
  }, []);
  const pending = cards.find((c) => c.name === pendingName) ?? null;
  return { pending, round, pick, override, cancel };
}

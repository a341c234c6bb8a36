/**
 * Which choices the recovery screen offers for a verdict, the safe next step first (Select's
 * focus starts on the first option). Never offers a re-flash while another flash runs, without
 * an attempt to repeat, or when the card is not there.
 */
import type { RecoveryChoice } from '../flash/actions.js';
import type { RecoveryVerdict } from '../journal/recovery.js';

export interface ChoiceOption {
  readonly label: string;
  readonly value: RecoveryChoice;
}

export function recoveryChoices(verdict: RecoveryVerdict | null): ChoiceOption[] {
  const quit: ChoiceOption = { label: 'Quit and change nothing', value: 'quit' };
  const go: ChoiceOption = { label: 'Continue to the adapter picker', value: 'continue' };
  if (!verdict) return [go, quit];
  switch (verdict.kind) {
    case 'flash-in-progress':
    case 'driver-missing':
      return [quit];
    case 'card-missing':
    case 'nothing-to-recover':
    case 'reload-verified':
      return [go, quit];
    case 'no-valid-image':
    case 'factory-image':
    case 'untouched':
    case 'reload-unconfirmed': {
      const attempt = verdict.attempt;
      if (!attempt) return [go, quit];
      const where = attempt.start.card.locationCode ?? attempt.start.card.name;
      const reflash: ChoiceOption = {
        label: `Re-flash ${attempt.start.image.path} onto ${where} (its SHA-256 is checked first)`,
        value: 'reflash',
      };
      return verdict.next.action === 'reflash' ? [reflash, go, quit] : [go, reflash, quit];
    }
  }
}

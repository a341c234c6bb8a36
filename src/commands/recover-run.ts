/** The work of `recover`: loaded only when it runs (it probes the lock, which needs koffi). */
import { readCards } from '../hardware/cards.js';
import { readEnvironment } from '../hardware/environment.js';
import { systemLibc } from '../ioctl/libc.js';
import { attemptsOf } from '../journal/journal.js';
import { currentLockHolder } from '../journal/lock.js';
import { analyseRecovery, type RecoveryVerdict } from '../journal/recovery.js';
import type { CommandContext } from './context.js';
import { refuseUnknownCard } from './card-spec.js';
import { readJournalOrRefuse } from './journal-access.js';
import { simulatedImageEvidence } from '../sim/image-evidence.js';
import { shown } from '../terminal-text.js';

export function recoveryVerdictFor(context: CommandContext, cardSpec?: string): RecoveryVerdict {
  const simulation = context.simulation;
  const attempts = attemptsOf(readJournalOrRefuse(context.stateDir).records);
  const cards = readCards(context.root);
  refuseUnknownCard(cardSpec, cards, attempts);
  return analyseRecovery(
    attempts,
    {
      driverLoaded: readEnvironment(context.root).cxlModuleLoaded,
      cards,
      lockHolder: currentLockHolder(context.stateDir, systemLibc()),
      imageEvidence: simulation ? () => simulatedImageEvidence(simulation.state()) : undefined,
    },
    cardSpec,
  );
}

export function renderVerdict(v: RecoveryVerdict): string {
  const others = v.otherCards.map((o) => {
    const card = o.attempt?.start.card;
    const where = card ? shown(card.locationCode ?? card.name) : 'another card';
    const body = renderVerdict(o).replace(/^/gm, '  ');
    return `Another card needs attention too: ${where}\n${body}`;
  });
  return [renderOne(v), ...others].join('\n\n');
}

function renderOne(v: RecoveryVerdict): string {
  const lines = [
    `What happened: ${v.happened}`,
    `The adapter now: ${v.adapterNow}`,
    `Next step: ${v.next.explanation}${v.next.command ? `\n  ${v.next.command}` : ''}`,
  ];
  if (v.doNot.length > 0) lines.push(`Do not:\n${v.doNot.map((d) => `  - ${d}`).join('\n')}`);
  return lines.join('\n');
}

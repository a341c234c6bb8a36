/**
 * The preflight list (docs/architecture.md §3.4): the environment's checks (src/hardware/preflight.ts)
 * between the flasher's own, which read the lock, the journal and the state directory, and the
 * plan the review screen shows beside it.
 */
import type { CardInfo, PreflightCheck } from '../hardware/types.js';
import { chunkPlan } from '../image/chunk-plan.js';
import {
  describeInProgress,
  describeLockHolder,
  holderRunning,
  type LockHolder,
} from '../journal/lock.js';
import type { Attempt } from '../journal/records.js';
import { journalUnreadableProblem, probeStateDir } from '../journal/state-dir.js';
import { summariseCard } from './card-summary.js';
import { flashPlan, sameImageCheck } from './current-image.js';
import type { FlashPlan } from './events.js';
import type { EngineServices, FlashImage } from './services.js';
import { shown } from '../terminal-text.js';

export interface PreflightInput {
  readonly services: EngineServices;
  readonly card: CardInfo;
  readonly image: FlashImage;
  /** the journal's attempts, oldest first */
  readonly attempts: readonly Attempt[];
  /** why the journal could not be read at the start, if it could not */
  readonly journalUnreadable: Error | null;
  /** flash even the image the journal says the card already runs */
  readonly force: boolean;
  readonly reloadTimeoutMs: number;
}

/** The checks in the order the screen lists them, and the plan (current versus new). */
export function preflightChecks(input: PreflightInput): {
  checks: PreflightCheck[];
  plan: FlashPlan;
} {
  const { services, card, image, attempts } = input;
  const holder = services.lockHolder();
  const plan = planFor(card, image, attempts, input.reloadTimeoutMs);
  const checks = [
    lockCheck(holder),
    ...services.preflight(card, image.size),
    journalCheck(card, attempts, holder),
    sameImageCheck(plan, input.force),
    stateDirCheck(services.stateDir, input.journalUnreadable),
  ];
  return { checks, plan };
}

function planFor(
  card: CardInfo,
  image: FlashImage,
  attempts: readonly Attempt[],
  reloadTimeoutMs: number,
): FlashPlan {
  const summary = summariseCard(card, [], attempts);
  const calls = chunkPlan(image.size).calls.length;
  return flashPlan(attempts, summary, image, calls, reloadTimeoutMs);
}

/** docs/architecture.md §6: another flasher first, so the user learns who it is, not only that the card is busy. */
function lockCheck(h: LockHolder | null): PreflightCheck {
  if (!h)
    return {
      id: 'flasher-lock',
      label: 'No other flasher',
      status: 'pass',
      message: 'no other cxl-flasher is running',
    };
  return {
    id: 'flasher-lock',
    label: 'No other flasher',
    status: 'fail',
    message: `another cxl-flasher is running: ${describeLockHolder(h)}`,
    fix: `Wait for it, or watch it with \`cxl-flasher attach${h.card ? ` --card ${shown(h.card)}` : ''}\`.`,
  };
}

/** docs/architecture.md §6: the journal is written before the device is opened, so it must be writable. */
function stateDirCheck(stateDir: string, journalUnreadable: Error | null): PreflightCheck {
  const problem = journalUnreadable
    ? journalUnreadableProblem(stateDir, journalUnreadable)
    : probeStateDir(stateDir);
  if (!problem)
    return {
      id: 'state-dir',
      label: 'Journal writable',
      status: 'pass',
      message: `the journal and the lock can be written in ${shown(stateDir)}`,
    };
  return {
    id: 'state-dir',
    label: 'Journal writable',
    status: 'fail',
    message: problem.message.replace(/\.$/, ''), // the list adds its own punctuation
    fix: problem.fix,
  };
}

/** The card's last attempt in the journal: a warning unless it succeeded. */
function journalCheck(
  card: CardInfo,
  attempts: readonly Attempt[],
  holder: LockHolder | null,
): PreflightCheck {
  const loc = card.node.locationCode.ok ? card.node.locationCode.value : null;
  const last = [...attempts]
    .reverse()
    .find((a) => (loc ? a.start.card.locationCode === loc : a.start.card.name === card.name));
  if (!last || last.terminal?.type === 'success') {
    return {
      id: 'journal',
      label: 'Journal',
      status: 'pass',
      message: last
        ? `the last flash of ${shown(card.name)} succeeded (${shown(last.start.time)})`
        : `no earlier flash of ${shown(card.name)} is recorded`,
    };
  }
  // Its flasher is still at it: the attempt has not ended, it did not die (docs/architecture.md §6).
  const running = last.terminal ? null : holderRunning(holder, last.start.id);
  if (running)
    return {
      id: 'journal',
      label: 'Journal',
      status: 'warn',
      message: `the last attempt on ${shown(card.name)} (${shown(last.start.id)}) is ${describeInProgress(running)}`,
      fix: `Wait for it to end, or watch it with \`cxl-flasher attach --card ${shown(running.card ?? card.name)}\`.`,
    };
  return {
    id: 'journal',
    label: 'Journal',
    status: 'warn',
    message: `the last attempt on ${shown(card.name)} (${shown(last.start.id)}) ${last.terminal ? `ended ${last.terminal.type}` : 'never finished'}`,
    fix: 'Flashing a complete image again is the usual fix; `cxl-flasher recover` explains what happened.',
  };
}

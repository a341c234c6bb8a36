/** Reads the machine into a StatusSnapshot (for `status`, its dashboard and its JSON). */
import { summariseCard } from '../flash/card-summary.js';
import { readCards } from '../hardware/cards.js';
import { readEnvironment } from '../hardware/environment.js';
import type { SystemRoot } from '../hardware/system-root.js';
import { readDeviceUsers } from '../hardware/users.js';
import type { Libc } from '../ioctl/libc.js';
import { attemptsOf, describeJournalProblem, tryReadJournal } from '../journal/journal.js';
import { currentLockHolder } from '../journal/lock.js';
import { journalUnreadableProblem } from '../journal/state-dir.js';
import { runningFlash } from './running-flash.js';
import type { StatusSnapshot } from './status-snapshot.js';

export interface StatusSources {
  readonly root: SystemRoot;
  readonly stateDir: string;
  readonly simulated: boolean;
  /** for the lock probe; omitted, the running flash is not looked for */
  readonly libc?: Libc;
  readonly cardSpec?: string;
}

export function buildStatusSnapshot(
  sources: StatusSources,
  now: Date = new Date(),
): StatusSnapshot {
  const env = readEnvironment(sources.root);
  const scan = readDeviceUsers(sources.root);
  // A dashboard shows what it can: an unreadable journal is one of its problems, not a crash.
  const journal = tryReadJournal(sources.stateDir);
  const attempts = attemptsOf(journal.records);
  const problems: string[] = [];
  if (scan.unreadablePids.length > 0) {
    problems.push(
      `${scan.unreadablePids.length} processes could not be checked for open cxl devices (run as root to see them all)`,
    );
  }
  if (journal.unreadable)
    problems.push(journalUnreadableProblem(sources.stateDir, journal.unreadable).message);
  for (const p of journal.problems) problems.push(describeJournalProblem(p));
  const flashing = sources.libc ? currentLockHolder(sources.stateDir, sources.libc) : null;
  const allCards = readCards(sources.root);
  const cards = allCards
    .filter(
      (c) =>
        !sources.cardSpec ||
        c.name === sources.cardSpec ||
        (c.node.locationCode.ok && c.node.locationCode.value === sources.cardSpec),
    )
    .map((c) => summariseCard(c, scan.users, attempts, flashing));
  return {
    time: now.toISOString(),
    simulated: sources.simulated,
    kernelRelease: env.kernelRelease,
    driver: env.driver,
    cxlModuleLoaded: env.cxlModuleLoaded,
    powervmGuest: env.powervmGuest,
    cards,
    flashing,
    flash: runningFlash(
      journal.records,
      flashing,
      allCards.map((c) => ({
        name: c.name,
        locationCode: c.node.locationCode.ok ? c.node.locationCode.value : null,
      })),
    ),
    problems,
  };
}

/**
 * The journal as a run reads it when it begins (docs/architecture.md §3.1): its attempts, for the
 * recovery screen, the picker and the preflight. An unreadable journal is not a crash: the
 * preflight refuses the flash and says why; it and each bad record are warnings here.
 */
import { attemptsOf, describeJournalProblem, tryReadJournal } from '../journal/journal.js';
import type { Attempt } from '../journal/records.js';
import { journalUnreadableProblem } from '../journal/state-dir.js';

export interface JournalAtStart {
  /** oldest first; empty when the journal could not be read */
  readonly attempts: Attempt[];
  /** why the journal could not be read, if it could not */
  readonly unreadable: Error | null;
}

export function readJournalAtStart(
  stateDir: string,
  warn: (message: string) => void,
): JournalAtStart {
  const journal = tryReadJournal(stateDir);
  if (journal.unreadable) warn(journalUnreadableProblem(stateDir, journal.unreadable).message);
  const attempts = attemptsOf(journal.records);
  for (const problem of journal.problems) warn(describeJournalProblem(problem));
  return { attempts, unreadable: journal.unreadable };
}

/**
 * The journal for a command that only reads it (history, recover): a journal that cannot be read
 * at all is a clear refusal naming the path and the fix, never an internal error.
 */
import { ExitCode, UserFacingError } from '../exit-codes.js';
import { tryReadJournal, type JournalContents } from '../journal/journal.js';
import { journalUnreadableProblem } from '../journal/state-dir.js';

export function readJournalOrRefuse(stateDir: string): JournalContents {
  const journal = tryReadJournal(stateDir);
  if (journal.unreadable) {
    const problem = journalUnreadableProblem(stateDir, journal.unreadable);
    throw new UserFacingError(problem.message, ExitCode.PreflightRefused, problem.fix);
  }
  return journal;
}

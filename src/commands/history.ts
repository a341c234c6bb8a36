/**
 * `cxl-flasher history [--json]`: every attempt in the journal, most recent first, with its
 * outcome; an unfinished attempt (the process died) is shown as such.
 */
import type { Command } from 'commander';
import { ExitCode } from '../exit-codes.js';
import { attemptsOf, type JournalProblem } from '../journal/journal.js';
import { currentLockHolder, holderRunning, type LockHolder } from '../journal/lock.js';
import type { Attempt } from '../journal/records.js';
import { formatBytes, formatMs } from '../report/format.js';
import { withContext, writeLine, type RegisterCommand } from './command-kit.js';
import { helpFooter } from './help-footer.js';
import { readJournalOrRefuse } from './journal-access.js';
import { currentMode } from './mode.js';
import { shown } from '../terminal-text.js';

export interface HistoryEntry {
  readonly id: string;
  readonly time: string;
  readonly user: string;
  readonly host: string;
  readonly simulated: boolean;
  readonly card: string;
  readonly locationCode: string | null;
  readonly image: string;
  readonly size: number;
  readonly sha256: string;
  /** the terminal outcome, `unfinished`, or `in-progress` while a live flasher runs it */
  readonly outcome: string;
  readonly exitCode: number | null;
  readonly phase: string;
  readonly message: string | null;
  readonly largestGapMs: number | null;
  readonly totalMs: number | null;
  /** the running flasher's pid and phase (from the lock), else null */
  readonly inProgress: { readonly pid: number; readonly phase: string } | null;
}

/** `lockHolder`: whoever holds the flasher's lock now, so a running attempt is not "unfinished". */
export function historyEntries(
  attempts: readonly Attempt[],
  lockHolder: LockHolder | null = null,
): HistoryEntry[] {
  return [...attempts].reverse().map((a) => {
    const running = a.terminal ? null : holderRunning(lockHolder, a.start.id);
    return entryOf(a, running ? { pid: running.pid, phase: running.phase } : null);
  });
}

function entryOf(a: Attempt, inProgress: HistoryEntry['inProgress']): HistoryEntry {
  return {
    id: a.start.id,
    time: a.start.time,
    user: a.start.user,
    host: a.start.host,
    simulated: a.start.simulated,
    card: a.start.card.name,
    locationCode: a.start.card.locationCode,
    image: a.start.image.path,
    size: a.start.image.size,
    sha256: a.start.image.sha256,
    outcome: a.terminal?.type ?? (inProgress ? 'in-progress' : 'unfinished'),
    exitCode: a.terminal?.exitCode ?? null,
    // the lock's phase is fresher than the last journal checkpoint
    phase: a.terminal?.phase ?? inProgress?.phase ?? a.lastProgress?.phase ?? 'preflight',
    message: a.terminal?.message ?? null,
    largestGapMs: a.terminal?.largestGapMs ?? a.lastProgress?.largestGapMs ?? null,
    totalMs: a.terminal?.durationsMs?.total ?? null,
    inProgress,
  };
}

export function renderHistory(
  entries: readonly HistoryEntry[],
  problems: readonly JournalProblem[],
): string {
  if (entries.length === 0) return 'No flash attempts are recorded.';
  const lines = entries.map((e) => {
    const outcome = e.inProgress
      ? `IN PROGRESS (pid ${e.inProgress.pid}, phase ${shown(e.inProgress.phase)})`
      : e.outcome.toUpperCase();
    const where = e.outcome === 'unfinished' ? ` (last seen in ${e.phase})` : '';
    return [
      `${shown(e.time)}  ${outcome}${where}${e.simulated ? '  [simulated]' : ''}`,
      `  ${shown(e.id)}  ${shown(e.user)}@${shown(e.host)}  ${shown(e.card)} ${e.locationCode === null ? '' : shown(e.locationCode)}`.trimEnd(),
      `  ${shown(e.image)} (${formatBytes(e.size)}, sha256 ${shown(e.sha256.slice(0, 16))}…)`,
      `  ${[e.totalMs !== null ? `took ${formatMs(e.totalMs)}` : null, e.largestGapMs !== null ? `largest gap ${formatMs(e.largestGapMs)}` : null, e.message === null ? null : shown(e.message)].filter(Boolean).join('; ')}`,
    ]
      .filter((l) => l.trim() !== '')
      .join('\n');
  });
  const notes = problems.map(
    (p) => `note: journal line ${p.line}: ${p.kind}${p.reason ? ` (${p.reason})` : ''}`,
  );
  return [...lines, ...notes].join('\n\n');
}

export const registerHistory: RegisterCommand = (program: Command, setExitCode) => {
  program
    .command('history')
    .description('list past flash attempts from the journal, most recent first')
    .option('--json', 'print one JSON document')
    .addHelpText(
      'after',
      helpFooter({
        exitCodes:
          '0 printed (also with an empty journal), 2 bad arguments, 3 the journal cannot be read.',
        examples: ['cxl-flasher history', 'cxl-flasher history --json | jq ".attempts[0]"'],
      }),
    )
    .action(
      withContext<{ json?: boolean }>(setExitCode, async (context, options) => {
        const journal = readJournalOrRefuse(context.stateDir);
        const attempts = attemptsOf(journal.records);
        // A running flash is "in progress", not "unfinished": ask the lock (koffi, loaded here).
        const { systemLibc } = await import('../ioctl/libc.js');
        const holder = currentLockHolder(context.stateDir, systemLibc());
        const entries = historyEntries(attempts, holder);
        if (currentMode(options.json) === 'interactive' && attempts.length > 0) {
          // the screen gets the running attempt as the text found it, not the lock itself
          const live = entries.find((e) => e.inProgress !== null);
          const running = live?.inProgress ? { attemptId: live.id, ...live.inProgress } : null;
          const { showHistory } = await import('../components/render-app.js');
          await showHistory(attempts, { simulated: context.simulated, running });
          return ExitCode.Success;
        }
        writeLine(
          process.stdout,
          options.json
            ? JSON.stringify(
                { stateDir: context.stateDir, attempts: entries, problems: journal.problems },
                null,
                2,
              )
            : renderHistory(entries, journal.problems),
        );
        return ExitCode.Success;
      }),
    );
};

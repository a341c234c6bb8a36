/**
 * `cxl-flasher status [--card C] [--watch] [--json]`: the hardware as it is now: cards, AFUs and
 * who uses them, driver and kernel state, a flash in progress, the last flash. With --watch it
 * refreshes (a live dashboard in a terminal; a snapshot per interval otherwise).
 */
import type { Command } from 'commander';
import { ExitCode, UserFacingError } from '../exit-codes.js';
import { withContext, writeLine, type RegisterCommand } from './command-kit.js';
import { helpFooter } from './help-footer.js';
import type { CommandContext } from './context.js';
import { currentMode } from './mode.js';
import { quoteInput } from '../terminal-text.js';

interface StatusOptions {
  readonly card?: string;
  readonly watch?: boolean;
  readonly json?: boolean;
  readonly interval?: string;
}

export function parseInterval(value: string | undefined): number {
  if (value === undefined) return 1000;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 0.2) {
    throw new UserFacingError(
      `--interval must be a number of seconds of at least 0.2, not ${quoteInput(value)}.`,
      ExitCode.BadInput,
      'For example --interval 2.',
    );
  }
  return seconds * 1000;
}

async function snapshotSource(context: CommandContext, card?: string) {
  const { readCards } = await import('../hardware/cards.js');
  const { attemptsOf, tryReadJournal } = await import('../journal/journal.js');
  const { refuseUnknownCard } = await import('./card-spec.js');
  // A journal that cannot be read is the report's business; here it only vouches for a card.
  const journal = tryReadJournal(context.stateDir);
  refuseUnknownCard(card, readCards(context.root), attemptsOf(journal.records));
  const { buildStatusSnapshot } = await import('../report/status-builder.js');
  const { systemLibc } = await import('../ioctl/libc.js');
  return () =>
    buildStatusSnapshot({
      root: context.root,
      stateDir: context.stateDir,
      simulated: context.simulated,
      libc: systemLibc(),
      cardSpec: card,
    });
}

/** Resolves on the first SIGINT or SIGTERM (the watch's way out). */
function untilInterrupted(): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}

export const registerStatus: RegisterCommand = (program: Command, setExitCode) => {
  program
    .command('status')
    .description('show cards, AFUs and their users, driver and kernel state, the last flash')
    .option('--card <card>', 'only this card (name or location code)')
    .option('--watch', 'refresh until Ctrl-C (a live dashboard in a terminal)')
    .option('--interval <seconds>', 'refresh period for --watch (default 1)')
    .option('--json', 'one JSON document (with --watch: one per refresh, NDJSON)')
    .addHelpText(
      'after',
      helpFooter({
        notes: ['It never opens a card device.'],
        exitCodes:
          '0 shown (--watch: after Ctrl-C), 2 bad arguments or a --card that names no card.',
        examples: [
          'cxl-flasher status',
          'cxl-flasher status --watch',
          'cxl-flasher status --json | jq ".cards[].afus"',
        ],
      }),
    )
    .action(
      withContext<StatusOptions>(setExitCode, async (context, options) => {
        const intervalMs = parseInterval(options.interval);
        const snapshot = await snapshotSource(context, options.card);
        const mode = currentMode(options.json);
        const { renderStatusText } = await import('../report/status-text.js');
        const print = (): void => {
          const s = snapshot();
          writeLine(
            process.stdout,
            mode === 'json'
              ? JSON.stringify(s, null, options.watch ? undefined : 2)
              : renderStatusText(s),
          );
        };
        if (!options.watch) {
          print();
          return ExitCode.Success;
        }
        if (mode === 'interactive') {
          // A live dashboard that refreshes in place (the screen, not the scrollback).
          const { renderStatus } = await import('../components/render-app.js');
          const view = renderStatus(snapshot(), { watch: true });
          const timer = setInterval(() => view.update(snapshot()), intervalMs);
          await Promise.race([view.closed, untilInterrupted()]);
          clearInterval(timer);
          view.instance.unmount();
          return ExitCode.Success;
        }
        const timer = setInterval(() => {
          if (mode !== 'json') writeLine(process.stdout, '');
          print();
        }, intervalMs);
        print();
        await untilInterrupted();
        clearInterval(timer);
        return ExitCode.Success;
      }),
    );
};

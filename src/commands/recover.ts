/**
 * `cxl-flasher recover [--card C] [--yes] [--json]` (docs/architecture.md §7): what happened to the last
 * attempt, what the adapter is doing now, and the one safe next step. With --yes, when that step
 * is to flash the same image again, it does so through the same engine and checks, with the
 * journaled SHA-256 as the expected checksum.
 */
import type { Command } from 'commander';
import { ExitCode } from '../exit-codes.js';
import type { RecoveryVerdict } from '../journal/recovery.js';
import { withContext, writeLine, type RegisterCommand } from './command-kit.js';
import { helpFooter } from './help-footer.js';
import type { CommandContext } from './context.js';
import { currentMode } from './mode.js';
import { parseReloadTimeout } from './flash.js';

/** The verdict on screen, then the user's choice: re-flash in the wizard, go on, or quit. */
async function recoverInTerminal(
  context: CommandContext,
  verdict: RecoveryVerdict,
  reloadTimeoutMs: number,
): Promise<number> {
  const { promptRecovery } = await import('../components/render-app.js');
  const choice = await promptRecovery(verdict);
  if (choice === 'quit') return ExitCode.Success;
  const { runWizard } = await import('./wizard-run.js');
  const start = choice === 'reflash' ? verdict.attempt?.start : undefined;
  return runWizard(context, {
    skipRecovery: true,
    reloadTimeoutMs,
    cardSpec: start ? (start.card.locationCode ?? start.card.name) : undefined,
    imagePath: start?.image.path,
    expectedSha256: start?.image.sha256,
  });
}

interface RecoverOptions {
  readonly card?: string;
  readonly yes?: boolean;
  readonly json?: boolean;
  readonly reloadTimeout?: string;
}

export const registerRecover: RegisterCommand = (program: Command, setExitCode) => {
  program
    .command('recover')
    .description('explain an interrupted or failed flash and take the one safe next step')
    .option('--card <card>', 'look at the last attempt on this card (name or location code)')
    .option(
      '--yes',
      'when the next step is to flash the same image again, do it (checksum verified)',
    )
    .option(
      '--json',
      'print the verdict as one JSON document (with --yes: the flash events as NDJSON)',
    )
    .option(
      '--reload-timeout <seconds>',
      'for the re-flash: how long to wait for the card after the reload',
    )
    .addHelpText(
      'after',
      helpFooter({
        notes: [
          'It reads the journal and the live adapter and never opens a card device unless it re-flashes.',
        ],
        exitCodes:
          "0 explained (or re-flashed); with --yes the re-flash's own codes (1, 3, 4, 5, 130); 2 bad arguments, a --card that names no card, or an image that no longer matches its journaled checksum; 3 the journal cannot be read.",
        examples: ['cxl-flasher recover', 'cxl-flasher recover --card card0 --yes'],
      }),
    )
    .action(
      withContext<RecoverOptions>(setExitCode, async (context, options) => {
        const { recoveryVerdictFor, renderVerdict } = await import('./recover-run.js');
        const verdict = recoveryVerdictFor(context, options.card);
        const attempt = verdict.attempt;
        if (currentMode(options.json) === 'interactive' && options.yes !== true) {
          return recoverInTerminal(context, verdict, parseReloadTimeout(options.reloadTimeout));
        }
        if (options.yes !== true || verdict.next.action !== 'reflash' || attempt === null) {
          writeLine(
            process.stdout,
            options.json ? JSON.stringify(verdict, null, 2) : renderVerdict(verdict),
          );
          return ExitCode.Success;
        }
        const start: NonNullable<RecoveryVerdict['attempt']>['start'] = attempt.start;
        if (!options.json)
          writeLine(
            process.stderr,
            `${renderVerdict(verdict)}\n\nFlashing ${start.image.path} again.`,
          );
        const { runEngineHeadless } = await import('./engine-run.js');
        return runEngineHeadless(context, {
          command: 'recover',
          json: options.json === true,
          reloadTimeoutMs: parseReloadTimeout(options.reloadTimeout),
          request: {
            imagePath: start.image.path,
            cardSpec: start.card.locationCode ?? start.card.name,
            expectedSha256: start.image.sha256,
            yes: true,
          },
        });
      }),
    );
};

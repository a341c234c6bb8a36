/**
 * `cxl-flasher recover [--card C] [--yes] [--json]` (design.md §7): what happened to the last
 * attempt, what the adapter is doing now, and the one safe next step. With --yes, when that step
 * is to flash the same image again, it does so through the same engine and checks, with the
 * journaled SHA-256 as the expected checksum.
 */
import type { Command } from 'commander';
import { ExitCode } from '../exit-codes.js';
import { FlashController } from '../flash/controller.js';
import { runHeadlessFlash } from '../flash/headless.js';
import { currentOperator } from '../flash/operator.js';
import { createEngineServices } from '../flash/services-for.js';
import { installSignalHandlers } from '../flash/signals.js';
import { readCards } from '../hardware/cards.js';
import { readEnvironment } from '../hardware/environment.js';
import { systemLibc } from '../ioctl/libc.js';
import { attemptsOf, readJournal } from '../journal/journal.js';
import { currentLockHolder } from '../journal/lock.js';
import { analyseRecovery, type RecoveryVerdict } from '../journal/recovery.js';
import { attachNdjsonReporter } from '../report/ndjson-reporter.js';
import { attachPlainReporter } from '../report/plain-reporter.js';
import { withContext, writeLine, type RegisterCommand } from './command-kit.js';
import type { CommandContext } from './context.js';
import { parseReloadTimeout } from './flash.js';

export function recoveryVerdictFor(context: CommandContext, cardSpec?: string): RecoveryVerdict {
  const attempts = attemptsOf(readJournal(context.stateDir).records);
  return analyseRecovery(
    attempts,
    {
      driverLoaded: readEnvironment(context.root).cxlModuleLoaded,
      cards: readCards(context.root),
      lockHolder: currentLockHolder(context.stateDir, systemLibc()),
    },
    cardSpec,
  );
}

export function renderVerdict(v: RecoveryVerdict): string {
  const lines = [
    `What happened: ${v.happened}`,
    `The adapter now: ${v.adapterNow}`,
    `Next step: ${v.next.explanation}${v.next.command ? `\n  ${v.next.command}` : ''}`,
  ];
  if (v.doNot.length > 0) lines.push(`Do not:\n${v.doNot.map((d) => `  - ${d}`).join('\n')}`);
  return lines.join('\n');
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
      '\nIt reads the journal and the live adapter and never opens a card device unless it re-flashes.\n\nExamples:\n  cxl-flasher recover\n  cxl-flasher recover --card card0 --yes',
    )
    .action(
      withContext<RecoverOptions>(setExitCode, async (context, options) => {
        const verdict = recoveryVerdictFor(context, options.card);
        const reflash =
          options.yes === true && verdict.next.action === 'reflash' && verdict.attempt !== null;
        if (!reflash) {
          writeLine(
            process.stdout,
            options.json ? JSON.stringify(verdict, null, 2) : renderVerdict(verdict),
          );
          return ExitCode.Success;
        }
        const start = (verdict.attempt as NonNullable<RecoveryVerdict['attempt']>).start;
        if (!options.json)
          writeLine(
            process.stderr,
            `${renderVerdict(verdict)}\n\nFlashing ${start.image.path} again.`,
          );
        const controller = new FlashController(createEngineServices(context), {
          command: 'recover',
          interactive: false,
          operator: currentOperator(),
          reloadTimeoutMs: parseReloadTimeout(options.reloadTimeout),
        });
        if (options.json) attachNdjsonReporter(controller.bus, (l) => process.stdout.write(l));
        else
          attachPlainReporter(controller.bus, {
            progress: (l) => process.stderr.write(`${l}\n`),
            result: (l) => process.stdout.write(`${l}\n`),
          });
        const uninstall = installSignalHandlers(controller);
        try {
          return await Promise.race([
            runHeadlessFlash(controller, {
              imagePath: start.image.path,
              cardSpec: start.card.locationCode ?? start.card.name,
              expectedSha256: start.image.sha256,
              yes: true,
            }),
            controller.finished,
          ]);
        } finally {
          uninstall();
        }
      }),
    );
};

/**
 * `cxl-flasher list [--json]`: the cards, their AFUs, and who has them open. Reads sysfs, the
 * device tree and /proc only; it never opens a card device (open + close resets the adapter,
 * docs/kernel-contract.md §4.5).
 */
import type { Command } from 'commander';
import { ExitCode } from '../exit-codes.js';
import { buildCardReport, renderCardReport } from './card-report.js';
import { withContext, writeLine, type RegisterCommand } from './command-kit.js';
import { helpFooter } from './help-footer.js';

export const registerList: RegisterCommand = (program: Command, setExitCode) => {
  program
    .command('list')
    .description('list the cards, their AFUs and who has them open')
    .option('--json', 'print one JSON document')
    .addHelpText(
      'after',
      helpFooter({
        notes: [
          'It never opens a card device: on this driver, open + close alone resets the adapter.',
        ],
        exitCodes: '0 listed (also when there are no cards), 2 bad arguments.',
        examples: [
          'cxl-flasher list',
          "cxl-flasher list --json | jq '.cards[] | {name, locationCode, pslRevision}'",
          'cxl-flasher --simulate=afu-in-use list',
        ],
      }),
    )
    .action(
      withContext<{ json?: boolean }>(setExitCode, async (context, options) => {
        const report = buildCardReport(context.root, context.simulation);
        writeLine(
          process.stdout,
          options.json ? JSON.stringify(report, null, 2) : renderCardReport(report),
        );
        return ExitCode.Success;
      }),
    );
};

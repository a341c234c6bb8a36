/**
 * `cxl-flasher flash IMAGE [--card C] [--yes] [--sha256 HEX] [--json] [--check] [--force]
 * [--quiet]`: the whole flow. In a terminal it is the wizard with the image (and card) filled
 * in; otherwise (and with --check or --quiet) plain progress lines or NDJSON events, and without
 * --yes it stops at the confirmation with exit 2 (--check: its verdict, exit 0 or a refusal).
 */
import type { Command } from 'commander';
import { ExitCode, UserFacingError } from '../exit-codes.js';
import { writeSampleIfNamed } from './sample-on-demand.js';
import { owesResultOnParseError, withContext, type RegisterCommand } from './command-kit.js';
import { helpFooter } from './help-footer.js';
import { currentMode, currentNoQuestionReason } from './mode.js';
import { quoteInput } from '../terminal-text.js';

export interface FlashOptions {
  readonly card?: string;
  readonly yes?: boolean;
  readonly sha256?: string;
  readonly json?: boolean;
  readonly reloadTimeout?: string;
  readonly check?: boolean;
  readonly dryRun?: boolean;
  readonly force?: boolean;
  readonly quiet?: boolean;
}

/** The kernel re-probes after the final validate; close() alone can take minutes (§4.6, §4.7). */
export const DEFAULT_RELOAD_TIMEOUT_S = 600;

export function parseReloadTimeout(value: string | undefined): number {
  if (value === undefined) return DEFAULT_RELOAD_TIMEOUT_S * 1000;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new UserFacingError(
      `--reload-timeout must be a number of seconds, not ${quoteInput(value)}.`,
      ExitCode.BadInput,
      'For example --reload-timeout 900.',
    );
  }
  return seconds * 1000;
}

export const registerFlash: RegisterCommand = (program: Command, setExitCode) => {
  owesResultOnParseError(program.command('flash'), 'flash')
    .description('flash IMAGE onto a card: inspect, preflight, confirm, download, validate, reload')
    .argument('<image>', 'the image file')
    .option('--card <card>', 'card name (card0) or location code; needed when there are several')
    .option('--yes', 'do not ask for confirmation (required without a terminal)')
    .option('--sha256 <hex>', 'the expected SHA-256 of the image file (else IMAGE.sha256 is used)')
    .option('--json', 'NDJSON events on stdout (docs/events.md), nothing else there')
    .option(
      '--check',
      'check only: every check and what a flash would do; the device is not opened',
    )
    .option('--dry-run', 'the same as --check')
    .option('--force', 'flash even the image the journal says the card already runs')
    .option('-q, --quiet', 'plain output: only the result line and errors (no wizard)')
    .option(
      '--reload-timeout <seconds>',
      `how long to wait for the card after the reload (default ${DEFAULT_RELOAD_TIMEOUT_S})`,
    )
    .addHelpText(
      'after',
      helpFooter({
        notes: [
          'The card device is opened only after the checks and the confirmation. While the image is sent, Ctrl-C asks before aborting (an abort leaves the adapter without a valid image), SIGHUP does not stop the flash, and Ctrl-Z is refused.',
          '--check (or --dry-run) runs every inspection and preflight check, shows what the card runs now and what a flash would do, and stops before the card device is opened. Flashing the image the journal says the card already runs is refused without --force.',
        ],
        exitCodes:
          '0 flashed (--check: it would flash), 1 download/validate failed, 2 bad input or no --yes without a terminal, 3 preflight refused (also: the card already runs this image), 4 image rejected at validation, 5 card did not come back, 130 interrupted.',
        examples: [
          'cxl-flasher flash psl.bin',
          'cxl-flasher flash psl.bin --card U78CB.001.WZS0001-P1-C7 --yes --json',
          'cxl-flasher --simulate --state-dir /tmp/demo \\',
          '  flash /tmp/demo/simulator/sample-64MiB.bin --check',
          'cxl-flasher --simulate=download-fail@3:H_HARDWARE --state-dir /tmp/demo \\',
          '  flash /tmp/demo/simulator/sample-64MiB.bin --yes',
        ],
      }),
    )
    .action(
      withContext<FlashOptions>(
        setExitCode,
        async (context, options, command) => {
          const imagePath = command.args[0] as string;
          const check = options.check === true || options.dryRun === true;
          const quiet = options.quiet === true;
          await writeSampleIfNamed(context, imagePath);
          const mode = currentMode(options.json);
          const json = mode === 'json';
          // A check prints its verdict and ends; --quiet is plain output: neither is the wizard.
          if (mode === 'interactive' && !check && !quiet) {
            const { runWizard } = await import('./wizard-run.js');
            const { resolve } = await import('node:path');
            return runWizard(context, {
              cardSpec: options.card,
              imagePath: resolve(imagePath),
              expectedSha256: options.sha256,
              autoConfirm: options.yes === true,
              reloadTimeoutMs: parseReloadTimeout(options.reloadTimeout),
              force: options.force === true,
            });
          }
          const { runEngineHeadless } = await import('./engine-run.js');
          const { parseSha256Option } = await import('../image/checksum.js');
          try {
            if (options.sha256 !== undefined) parseSha256Option(options.sha256);
            const reloadTimeoutMs = parseReloadTimeout(options.reloadTimeout);
            return await runEngineHeadless(context, {
              command: 'flash',
              json,
              quiet: quiet && !json,
              force: options.force === true,
              reloadTimeoutMs,
              request: {
                imagePath,
                cardSpec: options.card,
                expectedSha256: options.sha256,
                yes: options.yes === true,
                check,
                noQuestionReason: quiet
                  ? '--quiet never asks questions'
                  : currentNoQuestionReason(options.json),
              },
            });
          } catch (error) {
            if (!(error instanceof UserFacingError) || !json) throw error;
            // --json promises a result event even for a bad argument.
            const { badArgumentEvents } = await import('../report/ndjson-reporter.js');
            for (const line of badArgumentEvents('flash', context.simulated, error))
              process.stdout.write(line);
            return error.exitCode;
          }
        },
        { jsonResult: 'flash' },
      ),
    );
};

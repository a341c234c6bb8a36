/**
 * The command line (docs/architecture.md §4), built with commander. Each command lives in its own module
 * and returns an exit code from the table in exit-codes.ts.
 */
import { Command, CommanderError, Option } from 'commander';
import { EXIT_CODE_TABLE, ExitCode, UserFacingError } from '../exit-codes.js';
import { packageInfo } from '../version.js';
import { JsonUsageError, withContext, writeLine, type RegisterCommand } from './command-kit.js';
import { wrapText } from './help-footer.js';
import { currentMode } from './mode.js';
import { registerAttach } from './attach.js';
import { registerCompletion } from './completion.js';
import { registerDoctor } from './doctor.js';
import { registerFlash } from './flash.js';
import { registerHistory } from './history.js';
import { registerInspect } from './inspect.js';
import { registerList } from './list.js';
import { registerRecover } from './recover.js';
import { registerStatus } from './status.js';
import { shown, terminalSafe, UNSAFE_FOR_TERMINAL } from '../terminal-text.js';

/** Every subcommand, in the order --help lists them. */
const COMMANDS: readonly RegisterCommand[] = [
  registerFlash,
  registerList,
  registerStatus,
  registerInspect,
  registerHistory,
  registerRecover,
  registerAttach,
  registerDoctor,
  registerCompletion,
];

/** The exit code table (meanings wrapped under themselves), a note, and runnable examples. */
const PROGRAM_HELP_FOOTER = [
  '',
  'Exit codes:',
  ...EXIT_CODE_TABLE.map(
    (row) =>
      `  ${String(row.code).padStart(3)}  ${wrapText(row.meaning, 73).replace(/\n/g, '\n       ')}`,
  ),
  '',
  wrapText(
    'Add --simulate to any command to run it on the simulated adapter. `cxl-flasher COMMAND --help` gives the options, exit codes and examples of each command.',
  ),
  '',
  'Examples:',
  '  cxl-flasher',
  '  cxl-flasher --simulate list',
  '  cxl-flasher inspect psl.bin --card card0',
  '  cxl-flasher flash psl.bin --card card0 --yes --json',
  '  cxl-flasher recover',
].join('\n');

/**
 * `--simulate` takes an optional value only in the `--simulate=NAME` form, so that
 * `cxl-flasher --simulate list` does not read `list` as a scenario name.
 */
export function normaliseArgv(argv: readonly string[]): string[] {
  return argv.map((arg) => (arg === '--simulate' ? '--simulate=' : arg));
}

/**
 * A usage error from commander quotes the arguments as typed: each argument holding a control
 * character is put in its shown() form, so a newline in it cannot forge a line, and the net
 * escapes whatever else is left.
 */
export function safeUsageError(
  text: string,
  args: readonly string[] = process.argv.slice(2),
): string {
  let safe = text;
  for (const arg of args)
    if (UNSAFE_FOR_TERMINAL.test(arg)) safe = safe.split(arg).join(shown(arg));
  return terminalSafe(safe);
}

export function buildProgram(setExitCode: (code: number) => void): Command {
  const program = new Command();
  program
    .name('cxl-flasher')
    .description(
      'Flash a new FPGA image onto an IBM CAPI adapter from a PowerVM Linux guest (/dev/cxl/cardN).',
    )
    .version(packageInfo.version, '-V, --version', 'print the version and exit')
    .addOption(
      new Option(
        '--simulate [scenarios]',
        'use the simulated adapter; --simulate=NAME[,NAME] adds fault scenarios',
      ),
    )
    .addOption(new Option('--state-dir <dir>', 'where the journal and lock live'))
    .addOption(new Option('--no-color', 'no colours (NO_COLOR is honoured too)'))
    .addHelpText('after', PROGRAM_HELP_FOOTER)
    .showHelpAfterError('(run cxl-flasher --help for usage)')
    // set before the commands are added, so each inherits it
    .configureOutput({ outputError: (text, write) => write(safeUsageError(text)) })
    .exitOverride();

  for (const register of COMMANDS) register(program, setExitCode);

  // No command: the wizard, which needs a terminal (docs/architecture.md §4).
  program.action(
    withContext<{ json?: boolean }>(setExitCode, async (context) => {
      if (currentMode(false) !== 'interactive') {
        throw new UserFacingError(
          'The wizard needs a terminal (stdin and stdout) that can move the cursor (not TERM=dumb), and CI must be unset.',
          ExitCode.BadInput,
          'From a script, run `cxl-flasher flash IMAGE --yes` (add --json for events).',
        );
      }
      const { runWizard } = await import('./wizard-run.js');
      const { DEFAULT_RELOAD_TIMEOUT_S } = await import('./flash.js');
      return runWizard(context, { reloadTimeoutMs: DEFAULT_RELOAD_TIMEOUT_S * 1000 });
    }),
  );

  return program;
}

/** Run the program; resolves with the exit code. Never throws. */
export async function main(argv: readonly string[]): Promise<number> {
  let exitCode: number = ExitCode.Success;
  const program = buildProgram((code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(normaliseArgv(argv));
    return exitCode;
  } catch (error) {
    if (error instanceof JsonUsageError) {
      // commander has said it on stderr; stdout owes the result event.
      const { badArgumentEvents } = await import('../report/ndjson-reporter.js');
      const message = error.message.replace(/^error: /, '');
      const fix = `Run cxl-flasher ${error.jsonResult} --help for usage.`;
      const exitCode = ExitCode.BadInput;
      for (const line of badArgumentEvents(error.jsonResult, error.simulated, {
        message,
        fix,
        exitCode,
      }))
        process.stdout.write(line);
      return exitCode;
    }
    if (error instanceof CommanderError) {
      // --help and --version end here with exit code 0; parse errors are usage errors (2).
      return error.exitCode === 0 ? ExitCode.Success : ExitCode.BadInput;
    }
    if (error instanceof UserFacingError) {
      writeLine(process.stderr, `cxl-flasher: ${error.message}`);
      if (error.fix) writeLine(process.stderr, `  fix: ${error.fix}`);
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    writeLine(process.stderr, `cxl-flasher: internal error: ${message}`);
    writeLine(
      process.stderr,
      '  Please report this with the output of `cxl-flasher doctor --json`.',
    );
    if (process.env.CXL_FLASHER_DEBUG && error instanceof Error && error.stack) {
      writeLine(process.stderr, error.stack);
    }
    return ExitCode.FlashFailed;
  }
}

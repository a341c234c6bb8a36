/**
 * How a command module plugs into the program: it registers itself on commander and runs its
 * body with a resolved context; the body returns an exit code.
 */
import { CommanderError, type Command } from 'commander';
import { UserFacingError } from '../exit-codes.js';
import { terminalSafe } from '../terminal-text.js';
import { resolveContext, type CommandContext, type GlobalOptions } from './context.js';

/** Commands that never flash: they never keep the simulator's setup lock past the rebuild. */
const READ_ONLY = new Set(['status', 'list', 'attach', 'history', 'doctor', 'inspect']);

export type SetExitCode = (code: number) => void;

/** A command module: adds its subcommand to the program. */
export type RegisterCommand = (program: Command, setExitCode: SetExitCode) => void;

export interface ContextOptions {
  /**
   * The command promises NDJSON ending in a result event with --json (flash, recover): a
   * context that cannot be made (the simulator's folder) is then said as events, not on stderr.
   */
  readonly jsonResult?: string;
}

/** Wrap a command body: resolve the context, run, record the exit code, always dispose. */
export function withContext<O>(
  setExitCode: SetExitCode,
  body: (context: CommandContext, options: O, command: Command) => Promise<number>,
  kit: ContextOptions = {},
): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    // commander calls actions with (...arguments, options, command)
    const command = args[args.length - 1] as Command;
    const options = args[args.length - 2] as O;
    const globals = command.optsWithGlobals<GlobalOptions & { json?: boolean }>();
    let context: CommandContext;
    try {
      context = await resolveContext(globals, READ_ONLY.has(command.name()) ? 'read' : 'flash');
    } catch (error) {
      if (!(error instanceof UserFacingError) || !kit.jsonResult || globals.json !== true)
        throw error;
      const { badArgumentEvents } = await import('../report/ndjson-reporter.js');
      const simulated = globals.simulate !== undefined && globals.simulate !== false;
      for (const line of badArgumentEvents(kit.jsonResult, simulated, error))
        process.stdout.write(line);
      setExitCode(error.exitCode);
      return;
    }
    try {
      setExitCode(await body(context, options, command));
    } finally {
      await context.dispose();
    }
  };
}

/**
 * One line (or several) of program text. The net under `shown`: any control character a
 * formatter let through is escaped here (the program's own newlines stay), so plain output
 * never carries one. A JSON document keeps its values exactly: JSON.stringify already escapes
 * C0, and what it leaves raw (DEL, C1, bidi, U+2028) becomes `\uXXXX`, the same character.
 */
export function writeLine(stream: NodeJS.WritableStream, text: string): void {
  const safe = terminalSafe(text);
  stream.write(safe.endsWith('\n') ? safe : `${safe}\n`);
}

/** A parse error (unknown option, missing argument) of a command that promised NDJSON. */
export class JsonUsageError extends CommanderError {
  constructor(
    cause: CommanderError,
    /** the command whose `result` event is owed */
    readonly jsonResult: string,
    readonly simulated: boolean,
  ) {
    super(cause.exitCode, cause.code, cause.message);
  }
}

/**
 * `--json` promises a `result` event even for a bad argument, but commander refuses unknown
 * options and missing arguments before the action runs: mark those errors so that the program
 * can print the events (it is async; this callback is not).
 */
export function owesResultOnParseError(command: Command, jsonResult: string): Command {
  return command.exitOverride((error) => {
    const globals = command.optsWithGlobals<GlobalOptions & { json?: boolean }>();
    // After an unknown option commander stops parsing, so a later --json is only in the raw args.
    // (commander keeps the program's argv as `rawArgs`, untyped.)
    const raw = (command.parent as { rawArgs?: unknown } | null)?.rawArgs;
    const json = globals.json === true || (Array.isArray(raw) && raw.includes('--json'));
    if (error.exitCode === 0 || !json) throw error;
    const simulated = globals.simulate !== undefined && globals.simulate !== false;
    throw new JsonUsageError(error, jsonResult, simulated);
  });
}

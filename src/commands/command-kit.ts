/**
 * How a command module plugs into the program: it registers itself on commander and runs its
 * body with a resolved context; the body returns an exit code.
 */
import type { Command } from 'commander';
import { resolveContext, type CommandContext, type GlobalOptions } from './context.js';

export type SetExitCode = (code: number) => void;

/** A command module: adds its subcommand to the program. */
export type RegisterCommand = (program: Command, setExitCode: SetExitCode) => void;

/** Wrap a command body: resolve the context, run, record the exit code, always dispose. */
export function withContext<O>(
  setExitCode: SetExitCode,
  body: (context: CommandContext, options: O, command: Command) => Promise<number>,
): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    // commander calls actions with (...arguments, options, command)
    const command = args[args.length - 1] as Command;
    const options = args[args.length - 2] as O;
    const context = await resolveContext(command.optsWithGlobals<GlobalOptions>());
    try {
      setExitCode(await body(context, options, command));
    } finally {
      await context.dispose();
    }
  };
}

export function writeLine(stream: NodeJS.WritableStream, text: string): void {
  stream.write(text.endsWith('\n') ? text : `${text}\n`);
}

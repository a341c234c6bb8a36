/**
 * What shell completion offers, read from the commander program itself (so the scripts never
 * drift from --help): the commands, each one's options and positional argument, the global
 * options, and the simulator's scenario names.
 */
import type { Command, Option } from 'commander';

/** What an option's value is, for completion. */
export type ValueKind = 'none' | 'card' | 'dir' | 'scenarios' | 'text';

export interface OptionSpec {
  /** `--card`, and `-q` beside `--quiet` */
  readonly long: string;
  readonly short: string | null;
  readonly description: string;
  readonly value: ValueKind;
}

export interface CommandSpec {
  readonly name: string;
  readonly description: string;
  readonly options: readonly OptionSpec[];
  /** what the positional argument is: an image file, one of some words, or none */
  readonly argument:
    | { readonly kind: 'file' }
    | { readonly kind: 'words'; readonly words: readonly string[] }
    | null;
}

export interface CompletionModel {
  readonly program: string;
  readonly globals: readonly OptionSpec[];
  readonly commands: readonly CommandSpec[];
  /** completion words for --simulate=: `speed@`, `no-reload`, ... */
  readonly scenarios: readonly string[];
}

const HELP: OptionSpec = { long: '--help', short: '-h', description: 'show help', value: 'none' };

function valueKind(option: Option): ValueKind {
  if (!option.required && !option.optional) return 'none';
  if (option.long === '--card') return 'card';
  if (option.long === '--state-dir') return 'dir';
  if (option.long === '--simulate') return 'scenarios';
  return 'text';
}

function optionSpec(option: Option): OptionSpec | null {
  if (!option.long) return null;
  return {
    long: option.long,
    short: option.short ?? null,
    description: option.description,
    value: valueKind(option),
  };
}

function commandSpec(command: Command): CommandSpec {
  const arg = command.registeredArguments[0];
  const choices = arg?.argChoices;
  return {
    name: command.name(),
    description: command.description(),
    options: [...command.options.map(optionSpec).filter((o) => o !== null), HELP],
    argument: !arg ? null : choices ? { kind: 'words', words: choices } : { kind: 'file' },
  };
}

/** `download-fail@K[:CODE]` -> `download-fail@`; `validate-mismatch[@K]` -> `validate-mismatch` */
export function scenarioWord(syntax: string): string {
  const head = syntax.split('[')[0] ?? syntax;
  const at = head.indexOf('@');
  return at < 0 ? head : head.slice(0, at + 1);
}

export function completionModel(
  program: Command,
  scenarioSyntaxes: readonly string[],
): CompletionModel {
  return {
    program: program.name(),
    globals: [...program.options.map(optionSpec).filter((o) => o !== null), HELP],
    commands: program.commands
      .filter((c) => !(c as unknown as { _hidden: boolean })._hidden)
      .map(commandSpec),
    scenarios: scenarioSyntaxes.map(scenarioWord),
  };
}

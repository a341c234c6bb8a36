/**
 * Which face the program shows (docs/architecture.md §4): the Ink wizard only when stdin and stdout are
 * terminals that can address the cursor (not TERM=dumb), CI is unset and --json is absent; otherwise no Ink at all (Ink 6 does not notice a
 * pipe: docs/terminal-notes.md §3.3).
 */
export type OutputMode = 'interactive' | 'plain' | 'json';

/** The variable that makes this a CI run (`CI` as is-in-ci reads it), or null. */
export function ciVariable(env: NodeJS.ProcessEnv = process.env): string | null {
  for (const name of ['CI', 'CONTINUOUS_INTEGRATION']) {
    const value = env[name];
    if (value !== undefined && value !== '0' && value !== 'false') return name;
  }
  return null;
}

/** `CI` as is-in-ci reads it: set and not "0" or "false". */
export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  return ciVariable(env) !== null;
}

/** What the mode depends on: --json, the two streams, the environment. */
export interface ModeInputs {
  readonly json?: boolean;
  readonly stdinIsTTY?: boolean;
  readonly stdoutIsTTY?: boolean;
  readonly env?: NodeJS.ProcessEnv;
}

/** `TERM=dumb`: no cursor addressing, so no screen that redraws itself; lines instead. */
export function isDumbTerminal(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.TERM === 'dumb';
}

export function chooseMode(options: ModeInputs): OutputMode {
  if (options.json) return 'json';
  if (
    options.stdinIsTTY &&
    options.stdoutIsTTY &&
    !isCi(options.env) &&
    !isDumbTerminal(options.env)
  )
    return 'interactive';
  return 'plain';
}

/**
 * Why a mode other than the wizard asks no question, in words for the "run again with --yes"
 * message: --json, a CI variable (even in a terminal), or a missing terminal.
 */
export function whyNoQuestions(options: ModeInputs): string {
  if (options.json) return '--json never asks questions';
  const ci = ciVariable(options.env);
  if (ci) return `${ci} is set in the environment, and cxl-flasher asks no questions in CI`;
  if (isDumbTerminal(options.env) && options.stdinIsTTY && options.stdoutIsTTY)
    return 'TERM=dumb cannot redraw a screen, so cxl-flasher prints lines and asks no questions';
  const notTty = [options.stdinIsTTY ? '' : 'stdin', options.stdoutIsTTY ? '' : 'stdout'].filter(
    Boolean,
  );
  if (notTty.length === 2)
    return 'there is no terminal to ask on (stdin and stdout are not terminals)';
  if (notTty.length === 1) return `there is no terminal to ask on (${notTty[0]} is not a terminal)`;
  return 'there is no terminal to ask on';
}

export function currentMode(json: boolean | undefined): OutputMode {
  return chooseMode({
    json,
    stdinIsTTY: process.stdin.isTTY === true,
    stdoutIsTTY: process.stdout.isTTY === true,
  });
}

export function currentNoQuestionReason(json: boolean | undefined): string {
  return whyNoQuestions({
    json,
    stdinIsTTY: process.stdin.isTTY === true,
    stdoutIsTTY: process.stdout.isTTY === true,
  });
}

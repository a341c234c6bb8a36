/**
 * Which face the program shows (design.md §4): the Ink wizard only when stdin and stdout are
 * terminals, CI is unset and --json is absent; otherwise no Ink at all (Ink 6 does not notice a
 * pipe: ink-notes.md §3.3).
 */
export type OutputMode = 'interactive' | 'plain' | 'json';

/** `CI` as is-in-ci reads it: set and not "0" or "false". */
export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  for (const name of ['CI', 'CONTINUOUS_INTEGRATION']) {
    const value = env[name];
    if (value !== undefined && value !== '0' && value !== 'false') return true;
  }
  return false;
}

export function chooseMode(options: {
  readonly json?: boolean;
  readonly stdinIsTTY?: boolean;
  readonly stdoutIsTTY?: boolean;
  readonly env?: NodeJS.ProcessEnv;
}): OutputMode {
  if (options.json) return 'json';
  if (options.stdinIsTTY && options.stdoutIsTTY && !isCi(options.env)) return 'interactive';
  return 'plain';
}

export function currentMode(json: boolean | undefined): OutputMode {
  return chooseMode({
    json,
    stdinIsTTY: process.stdin.isTTY === true,
    stdoutIsTTY: process.stdout.isTTY === true,
  });
}

/**
 * The built CLI in a real terminal: a private tmux server, send-keys and capture-pane
 * (docs/architecture.md §1: the built CLI is tested end to end in a real terminal).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { CLI } from './cli.js';

export interface TmuxSession {
  readonly socket: string;
  keys(...keys: string[]): void;
  /** the visible pane; `escapes` keeps colour and attribute sequences */
  capture(escapes?: boolean): string;
  /** the pane's title, as the program running in it may set it (OSC 0/2) */
  title(): string;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** the exit code printed after the CLI ended */
  exitCode(timeoutMs?: number): Promise<number>;
  kill(): void;
}

let counter = 0;

export function startTmux(
  args: readonly string[],
  options: {
    env?: Record<string, string>;
    width?: number;
    height?: number;
    keepCi?: boolean;
    /** the working directory of the CLI (the wizard lists the image files found there) */
    cwd?: string;
  } = {},
): TmuxSession {
  const socket = `cxl-e2e-${process.pid}-${counter++}`;
  const env = Object.entries({ FORCE_COLOR: '1', TERM: 'xterm-256color', ...options.env })
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(' ');
  const quoted = args.map((a) => JSON.stringify(a)).join(' ');
  // CI must be unset for the wizard; the marker line carries the exit code.
  const command = `env ${options.keepCi ? '' : '-u CI '}${env} ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} ${quoted}; echo "CLI-EXIT=$?"; sleep 60`;
  execFileSync('tmux', [
    '-L',
    socket,
    '-f',
    '/dev/null',
    'new-session',
    '-d',
    ...(options.cwd ? ['-c', options.cwd] : []),
    '-x',
    String(options.width ?? 80),
    '-y',
    String(options.height ?? 24),
    command,
  ]);
  const tmux = (...a: string[]): string =>
    execFileSync('tmux', ['-L', socket, ...a], { encoding: 'utf8' });
  const session: TmuxSession = {
    socket,
    keys: (...keys) => {
      tmux('send-keys', ...keys);
    },
    capture: (escapes = false) => tmux('capture-pane', '-p', ...(escapes ? ['-e'] : [])),
    title: () => tmux('display-message', '-p', '#{pane_title}').trim(),
    async waitFor(pattern, timeoutMs = 20_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const screen = session.capture();
        if (pattern.test(screen)) return screen;
        if (Date.now() > until)
          throw new Error(`timed out waiting for ${pattern}; the screen:\n${screen}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async exitCode(timeoutMs = 20_000) {
      const screen = await session.waitFor(/CLI-EXIT=\d+/, timeoutMs);
      return Number(/CLI-EXIT=(\d+)/.exec(screen)?.[1]);
    },
    kill: () => {
      spawnSync('tmux', ['-L', socket, 'kill-server']);
    },
  };
  return session;
}

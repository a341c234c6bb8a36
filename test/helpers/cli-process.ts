/** A running built CLI whose --json events can be awaited, for signal and crash tests. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { CLI } from './cli.js';

export interface JsonEvent {
  readonly event: string;
  readonly [key: string]: unknown;
}

export interface CliProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly events: JsonEvent[];
  /** everything printed on stdout so far (plain mode's result line; --json's raw lines) */
  stdout(): string;
  stderr(): string;
  /** resolves with the first event (seen so far or later) that matches */
  waitFor(match: (e: JsonEvent) => boolean, timeoutMs?: number): Promise<JsonEvent>;
  exit(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): CliProcess {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, FORCE_COLOR: '0', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const events: JsonEvent[] = [];
  const waiters: { match: (e: JsonEvent) => boolean; resolve: (e: JsonEvent) => void }[] = [];
  let buffer = '';
  let outText = '';
  let errText = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    outText += chunk;
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (!line.startsWith('{')) continue;
      const event = JSON.parse(line) as JsonEvent;
      events.push(event);
      for (const w of [...waiters]) {
        if (w.match(event)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(event);
        }
      }
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (errText += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    events,
    stdout: () => outText,
    stderr: () => errText,
    waitFor(match, timeoutMs = 20_000) {
      const seen = events.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no matching event in ${timeoutMs} ms; stderr: ${errText}`)),
          timeoutMs,
        );
        waiters.push({
          match,
          resolve: (e) => {
            clearTimeout(timer);
            resolve(e);
          },
        });
      });
    },
    exit: () => exited,
  };
}

export const isProgress =
  (phase: string, calls: number) =>
  (e: JsonEvent): boolean =>
    e.event === 'progress' && e.phase === phase && typeof e.call === 'number' && e.call >= calls;

/**
 * How `npm run bench` runs things: a command under GNU time (wall, CPU, peak RSS), and the CLI in
 * a real pseudo-terminal through util-linux `script` at a fixed size, every read timestamped.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TerminalChunk } from './analysis.js';

const GNU_TIME = '/usr/bin/time';

export interface Measured {
  readonly wallMs: number;
  /** user + system CPU */
  readonly cpuMs: number;
  readonly maxRssKiB: number;
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The tools the benchmark needs, with the package that provides each one. */
export function missingTools(): string[] {
  const needs: [string, string][] = [
    [GNU_TIME, 'time'],
    ['/usr/bin/script', 'util-linux (bsdutils)'],
    ['/usr/bin/sha256sum', 'coreutils'],
  ];
  return needs.filter(([path]) => !existsSync(path)).map(([path, pkg]) => `${path} (${pkg})`);
}

/** Env without CI markers: the CLI draws the wizard only outside CI (docs/architecture.md §4). */
export function interactiveEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => k !== 'CI' && k !== 'CONTINUOUS_INTEGRATION' && !k.startsWith('CI_'),
    ),
  );
  return { ...env, TERM: 'xterm-256color', FORCE_COLOR: '1', ...extra };
}

/** Run `command args` to completion under GNU time. */
export function measure(command: string, args: readonly string[]): Measured {
  const dir = mkdtempSync(join(tmpdir(), 'cxl-bench-time-'));
  const out = join(dir, 'time');
  try {
    const started = performance.now();
    const run = spawnSync(GNU_TIME, ['-f', '%U %S %M', '-o', out, command, ...args], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    const wallMs = performance.now() - started;
    const lastLine = readFileSync(out, 'utf8').trim().split('\n').at(-1) ?? '';
    const [user = NaN, sys = NaN, rss = NaN] = lastLine.split(' ').map(Number);
    return {
      wallMs,
      cpuMs: (user + sys) * 1000,
      maxRssKiB: rss,
      status: run.status,
      stdout: run.stdout,
      stderr: run.stderr,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Wall time of a command, spawned and waited for. */
export function wallOf(command: string, args: readonly string[]): number {
  const started = performance.now();
  const run = spawnSync(command, args, { stdio: 'ignore' });
  const wallMs = performance.now() - started;
  if (run.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${run.status}`);
  return wallMs;
}

const shellQuote = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;

export interface PtySession {
  /** every read from the terminal, `at` in ms since the session was spawned */
  readonly chunks: TerminalChunk[];
  /** resolves with the ms since spawn at which `pattern` has appeared in the output */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<number>;
  /** type into the terminal */
  type(text: string): void;
  /** resolves when `script` exits (the CLI has exited); kills it after `timeoutMs` */
  closed(timeoutMs: number): Promise<void>;
  text(): string;
}

/**
 * `argv` in a pseudo-terminal of `cols` x `rows` (script -q: no banner; -f: flush each read;
 * -e: its exit status). The pty size is set with stty before the program starts.
 */
export function inPty(
  argv: readonly string[],
  options: { cols: number; rows: number; env: NodeJS.ProcessEnv },
): PtySession {
  const inner = `stty cols ${options.cols} rows ${options.rows} 2>/dev/null; exec ${argv.map(shellQuote).join(' ')}`;
  const started = performance.now();
  const child = spawn('script', ['-qfec', inner, '/dev/null'], {
    env: options.env,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const chunks: TerminalChunk[] = [];
  let all = '';
  const waiters: { pattern: RegExp; resolve: (at: number) => void }[] = [];
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (text: string) => {
    const at = performance.now() - started;
    chunks.push({ at, text });
    all += text;
    for (const w of waiters.splice(0)) {
      if (w.pattern.test(all)) w.resolve(at);
      else waiters.push(w);
    }
  });
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  return {
    chunks,
    text: () => all,
    waitFor(pattern, timeoutMs) {
      if (pattern.test(all)) return Promise.resolve(chunks.at(-1)?.at ?? 0);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no ${pattern} within ${timeoutMs} ms:\n${all.slice(-2000)}`)),
          timeoutMs,
        );
        waiters.push({
          pattern,
          resolve: (at) => {
            clearTimeout(timer);
            resolve(at);
          },
        });
      });
    },
    type(text) {
      child.stdin.write(text);
    },
    async closed(timeoutMs) {
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Run the built CLI as root or as an unprivileged user (through `setpriv`), under a chosen umask
 * and always bounded by a timeout, for the path-safety tests. The unprivileged user is
 * $CXL_TEST_USER (CI creates one with useradd), else `nobody`; without root, or without such a
 * user or setpriv, `unprivilegedUser()` says why, so the tests can skip visibly.
 */
import { execFileSync, spawn } from 'node:child_process';
import { CLI, type CliResult } from './cli.js';

export interface TestUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

const isRoot = (): boolean => process.geteuid?.() === 0;

function lookUp(name: string): TestUser | null {
  try {
    const id = (flag: string): number =>
      Number(execFileSync('id', [flag, name], { encoding: 'utf8', stdio: 'pipe' }).trim());
    const uid = id('-u');
    return uid === 0 ? null : { name, uid, gid: id('-g') };
  } catch {
    return null;
  }
}

function hasSetpriv(): boolean {
  try {
    execFileSync('setpriv', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The unprivileged user to run as, or why there is none here. */
export function unprivilegedUser(): TestUser | string {
  if (!isRoot()) return 'not running as root, so no other user can be switched to';
  if (!hasSetpriv()) return 'setpriv (util-linux) is not installed';
  const name = process.env.CXL_TEST_USER ?? 'nobody';
  const user = lookUp(name);
  if (!user) return `no user ${name} (CI creates one: useradd ${name})`;
  try {
    const as = [`--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups'];
    execFileSync('setpriv', [...as, '--', 'test', '-r', CLI], { stdio: 'ignore' });
  } catch {
    return `${name} cannot read ${CLI} (the checkout is not readable by other users)`;
  }
  return user;
}

/** A uid that is neither root, nor us, nor `user`: "another user" who plants things. */
export function strangerUid(runner: TestUser | null): number {
  return runner ? runner.uid + 1000 : 4242;
}

export interface RunAsOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** octal text, e.g. '000' */
  readonly umask?: string;
  readonly timeoutMs?: number;
}

/** `node dist/cli.js ARGS` as `user` (null: as we are), killed after the timeout. */
export function runCliAs(
  user: TestUser | null,
  args: readonly string[],
  options: RunAsOptions = {},
): Promise<CliResult & { timedOut: boolean }> {
  const node = [process.execPath, CLI, ...args];
  const masked = options.umask
    ? ['sh', '-c', `umask ${options.umask}; exec "$@"`, 'sh', ...node]
    : node;
  const argv = user
    ? ['setpriv', `--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups', '--', ...masked]
    : masked;
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0] as string, argv.slice(1), {
      env: { PATH: process.env.PATH, FORCE_COLOR: '0', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
    child.stdin.end('');
  });
}

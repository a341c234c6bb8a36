/** Who is flashing, for the journal and the lock (docs/architecture.md §6). */
import { readlinkSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';

export interface Operator {
  readonly pid: number;
  readonly user: string;
  readonly host: string;
  readonly tty: string | null;
  readonly sshClient: string | null;
}

function ttyName(): string | null {
  for (const fd of [0, 1, 2]) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (target.startsWith('/dev/pts/') || target.startsWith('/dev/tty')) return target;
    } catch {
      // not a link we can read
    }
  }
  return null;
}

export function currentOperator(env: NodeJS.ProcessEnv = process.env): Operator {
  let user = env.USER ?? 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry: keep $USER
  }
  return {
    pid: process.pid,
    user,
    host: hostname(),
    tty: ttyName(),
    sshClient: env.SSH_CLIENT ?? env.SSH_CONNECTION ?? null,
  };
}

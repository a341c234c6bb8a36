/**
 * The observer side of the attach socket (docs/architecture.md §6): find the running flash's socket,
 * check it is one only the flasher could have made, read its NDJSON events, check each one's
 * shape, and hand them on, reconnecting when dropped. Read-only: nothing is ever written to the
 * socket.
 */
import { lstatSync, type Stats } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import type { FlashEvent } from '../flash/events.js';
import { listDir, valueOr } from '../hardware/read.js';
import { shown } from '../terminal-text.js';
import { socketIsLive, socketPathFor } from './attach-server.js';
import { eventProblem } from './event-shape.js';

export type SocketChoice =
  | { readonly kind: 'found'; readonly path: string; readonly card: string }
  | { readonly kind: 'none'; readonly message: string }
  | { readonly kind: 'several'; readonly cards: readonly string[] };

/** The socket of the flash to watch: the card's, or the only live one in the run folder. */
export async function findFlashSocket(runDir: string, card?: string): Promise<SocketChoice> {
  if (card) {
    const path = socketPathFor(runDir, card);
    return (await socketIsLive(path))
      ? { kind: 'found', path, card }
      : {
          kind: 'none',
          message: `No flash of ${shown(card)} is running (nothing answers on ${shown(path)}).`,
        };
  }
  const names = valueOr(listDir(runDir), []).filter((n) => n.endsWith('.sock'));
  const live: string[] = [];
  for (const name of names)
    if (await socketIsLive(join(runDir, name))) live.push(name.slice(0, -'.sock'.length));
  const [only] = live;
  if (live.length === 1 && only)
    return { kind: 'found', path: socketPathFor(runDir, only), card: only };
  if (live.length === 0)
    return { kind: 'none', message: `No flash is running (no live socket in ${shown(runDir)}).` };
  return { kind: 'several', cards: live };
}

/** A line longer than this is not an event: it is dropped, not kept growing in memory. */
const MAX_LINE = 1024 * 1024;
/** How often `attach` comes back after being dropped before it gives up. */
const MAX_RECONNECTS = 20;
const RECONNECT_DELAY_MS = 200;

export interface WatchOptions {
  /** a line that is not an event we can use: its number (1-based) and what is wrong */
  readonly onSkipped?: (line: number, reason: string) => void;
}

interface OneConnection {
  /** resolves with the result, if one came, when the connection ends */
  readonly done: Promise<FlashEvent | null>;
  stop(): void;
}

/**
 * One connection: each line not seen before (a reconnect replays the run's start) is checked
 * against its event's shape (event-shape.ts) first; what does not match is skipped and reported
 * through `onSkipped`, never handed on.
 */
function watchOnce(
  path: string,
  seen: Set<string>,
  onEvent: (event: FlashEvent) => void,
  options: WatchOptions,
): OneConnection {
  const socket = connect(path);
  let result: FlashEvent | null = null;
  let buffer = '';
  let lineNumber = 0;
  let dropping = false;
  const skip = (reason: string): void => options.onSkipped?.(lineNumber, reason);
  const take = (line: string): void => {
    lineNumber++;
    if (seen.has(line)) return;
    seen.add(line);
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      skip('not JSON');
      return;
    }
    const problem = eventProblem(value);
    if (problem) {
      skip(problem);
      return;
    }
    const event = value as FlashEvent;
    if (event.event === 'result') result = event;
    onEvent(event);
  };
  const done = new Promise<FlashEvent | null>((resolve) => {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (dropping) {
          dropping = false;
          continue;
        }
        take(line);
      }
      if (buffer.length > MAX_LINE) {
        lineNumber++;
        skip(`longer than ${MAX_LINE} characters`);
        buffer = '';
        dropping = true;
      }
    });
    socket.on('error', () => resolve(result));
    socket.on('close', () => resolve(result));
  });
  return { done, stop: () => socket.destroy() };
}

/**
 * Read events until the flash ends; resolves with the result, if one came. Dropped before the
 * result (it fell behind, or the connection broke) while the flash still serves: connect again.
 */
export function watchFlash(
  path: string,
  onEvent: (event: FlashEvent) => void,
  options: WatchOptions = {},
): { done: Promise<FlashEvent | null>; stop(): void } {
  const seen = new Set<string>();
  let stopped = false;
  let current: OneConnection | null = null;
  const loop = async (): Promise<FlashEvent | null> => {
    for (let attempt = 0; ; attempt++) {
      current = watchOnce(path, seen, onEvent, options);
      const result = await current.done;
      if (result || stopped || attempt >= MAX_RECONNECTS) return result;
      await new Promise((r) => setTimeout(r, RECONNECT_DELAY_MS));
      if (stopped || !(await socketIsLive(path))) return null;
    }
  };
  return {
    done: loop(),
    stop: () => {
      stopped = true;
      current?.stop();
    },
  };
}

/**
 * Why a socket must not be trusted, or null. The observer believes what the socket says (a
 * `result` decides its exit code), so the socket must be one only the flasher could have made:
 * a socket (not a link) owned by this user or root, in a folder owned by this user or root that
 * no one else can write (else another user could have put theirs in its place). This checks
 * the file, not the peer: SO_PEERCRED would name the process at the other end.
 */
export function socketTrustProblem(path: string): string | null {
  const me = process.getuid?.() ?? 0;
  const trusted = (uid: number): boolean => uid === me || uid === 0;
  const folder = dirname(path);
  let file: Stats;
  let dir: Stats;
  try {
    file = lstatSync(path);
    dir = lstatSync(folder);
  } catch (error) {
    return `${shown(path)} cannot be examined (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
  }
  if (!file.isSocket()) return `${shown(path)} is not a socket`;
  if (!trusted(file.uid))
    return `${shown(path)} is owned by uid ${file.uid}, not by this user or root`;
  if (!dir.isDirectory()) return `${shown(folder)} is not a directory`;
  if (!trusted(dir.uid))
    return `${shown(folder)} is owned by uid ${dir.uid}, not by this user or root`;
  if ((dir.mode & 0o022) !== 0)
    return `${shown(folder)} is writable by others (mode ${(dir.mode & 0o7777).toString(8)})`;
  return null;
}

/**
 * The observer side of the attach socket (docs/architecture.md §6): find the running flash's socket,
 * read its NDJSON events, and hand them on. Read-only: nothing is ever written to the socket.
 */
import { connect } from 'node:net';
import { join } from 'node:path';
import type { FlashEvent } from '../flash/events.js';
import { listDir, valueOr } from '../hardware/read.js';
import { socketIsLive, socketPathFor } from './attach-server.js';

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
      : { kind: 'none', message: `No flash of ${card} is running (nothing answers on ${path}).` };
  }
  const names = valueOr(listDir(runDir), []).filter((n) => n.endsWith('.sock'));
  const live: string[] = [];
  for (const name of names)
    if (await socketIsLive(join(runDir, name))) live.push(name.slice(0, -'.sock'.length));
  const [only] = live;
  if (live.length === 1 && only)
    return { kind: 'found', path: socketPathFor(runDir, only), card: only };
  if (live.length === 0)
    return { kind: 'none', message: `No flash is running (no live socket in ${runDir}).` };
  return { kind: 'several', cards: live };
}

/** Read events until the flash ends or the socket closes; resolves with the result, if one came. */
export function watchFlash(
  path: string,
  onEvent: (event: FlashEvent) => void,
): { done: Promise<FlashEvent | null>; stop(): void } {
  const socket = connect(path);
  let result: FlashEvent | null = null;
  let buffer = '';
  const done = new Promise<FlashEvent | null>((resolve) => {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        let event: FlashEvent;
        try {
          event = JSON.parse(line) as FlashEvent;
        } catch {
          continue; // a line we cannot read is skipped, never fatal
        }
        if (event.event === 'result') result = event;
        onEvent(event);
      }
    });
    socket.on('error', () => resolve(result));
    socket.on('close', () => resolve(result));
  });
  return { done, stop: () => socket.destroy() };
}

/**
 * The attach socket (docs/architecture.md §6): while flashing, the engine's events are served as NDJSON on
 * `<run-dir>/<card>.sock` (mode 0600), so `cxl-flasher attach` can watch from another login
 * after an SSH drop. A slow or broken observer is disconnected; nothing here can stop a flash or
 * hold its end: the server reads and discards what clients send, drops one that falls behind,
 * and closes without waiting for any of them.
 */
import { chmodSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import type { EventBus } from '../flash/event-bus.js';
import type { FlashEvent } from '../flash/events.js';
import { ownedDir } from '../safe-fs/owned-dir.js';
import { removeOwnSocket } from '../safe-fs/own-socket.js';

/** sun_path is 108 bytes including the terminating NUL. */
export const MAX_SOCKET_PATH = 107;
/** An observer further behind than this is dropped rather than buffered without bound. */
export const MAX_BACKLOG_BYTES = 256 * 1024;
/** How long a released observer may take to read what was queued for it. */
const GRACE_MS = 2000;

export function socketPathFor(runDir: string, card: string): string {
  return join(runDir, `${card}.sock`);
}

export interface AttachServer {
  readonly path: string;
  readonly observers: number;
  /** Stop serving and let every observer go; returns at once, never waits for anyone. */
  close(): void;
}

/** Is something answering on this socket? */
export function socketIsLive(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

function line(event: FlashEvent): string {
  return `${JSON.stringify(event)}\n`;
}

/** The warning code of the last line a dropped observer is sent (docs/events.md). */
export const FELL_BEHIND = 'observer-behind';

/** The last line for an observer that stopped reading: attach reconnects on it. */
function fellBehindLine(): string {
  return `${JSON.stringify({
    event: 'warning',
    code: FELL_BEHIND,
    message: `You fell behind by more than ${MAX_BACKLOG_BYTES >> 10} KiB of events and were disconnected; the flash goes on. Run cxl-flasher attach again.`,
    time: new Date().toISOString(),
  })}\n`;
}

/**
 * Let go of one observer without waiting for it: what is queued is flushed if the peer reads
 * within the grace time, and the socket never keeps the process alive.
 */
function release(socket: Socket, last?: string): void {
  if (socket.destroyed) return;
  socket.unref();
  if (socket.writable) socket.end(last ?? '');
  setTimeout(() => socket.destroy(), GRACE_MS).unref();
}

/**
 * The clients of one server. A client is only ever written to: what it sends is read and thrown
 * away (a socket nobody reads never sees its peer close), and one further behind than
 * MAX_BACKLOG_BYTES is told so and dropped.
 */
class Observers {
  private readonly sockets = new Set<Socket>();

  get size(): number {
    return this.sockets.size;
  }

  add(socket: Socket, replay: readonly string[]): void {
    this.sockets.add(socket);
    socket.on('data', () => {}); // read and discard: flowing mode also notices the peer's close
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.sockets.delete(socket));
    for (const text of replay) this.send(socket, text);
  }

  broadcast(text: string): void {
    for (const socket of this.sockets) this.send(socket, text);
  }

  /** Drop everyone; returns at once. */
  releaseAll(): void {
    for (const socket of this.sockets) release(socket);
    this.sockets.clear();
  }

  private send(socket: Socket, text: string): void {
    if (!socket.writable) return;
    if (socket.writableLength + Buffer.byteLength(text) > MAX_BACKLOG_BYTES) {
      this.sockets.delete(socket);
      release(socket, fellBehindLine());
      return;
    }
    socket.write(text);
  }
}

export async function startAttachServer(
  runDir: string,
  card: string,
  bus: EventBus,
): Promise<AttachServer> {
  const path = socketPathFor(runDir, card);
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH) {
    throw new Error(`the socket path ${path} is longer than ${MAX_SOCKET_PATH} bytes`);
  }
  ownedDir(runDir, { create: true, what: 'run folder' });
  // Our lock is held, so a socket left here belongs to a flasher that died: remove it.
  if (await socketIsLive(path)) throw new Error(`another flasher is serving ${path}`);
  removeOwnSocket(path);

  const observers = new Observers();
  let closed = false;
  const server: Server = createServer((socket) => {
    if (closed) return void socket.destroy();
    observers.add(socket, bus.replay().map(line));
  });
  const unsubscribe = bus.subscribe((event) => {
    if (event.event !== 'hashing') observers.broadcast(line(event));
  });
  server.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
  chmodSync(path, 0o600);
  server.unref();

  return {
    path,
    get observers() {
      return observers.size;
    },
    close() {
      if (closed) return;
      closed = true;
      unsubscribe();
      server.close(); // stops accepting; its callback would wait for every client, so none
      observers.releaseAll();
      try {
        removeOwnSocket(path);
      } catch {
        // not ours any more: left alone
      }
    },
  };
}

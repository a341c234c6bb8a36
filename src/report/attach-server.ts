/**
 * The attach socket (docs/architecture.md §6): while flashing, the engine's events are served as NDJSON on
 * `<run-dir>/<card>.sock` (mode 0600), so `cxl-flasher attach` can watch from another login
 * after an SSH drop. A slow or broken observer is disconnected; nothing here can stop a flash.
 */
import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import type { EventBus } from '../flash/event-bus.js';
import type { FlashEvent } from '../flash/events.js';

/** sun_path is 108 bytes including the terminating NUL. */
export const MAX_SOCKET_PATH = 107;
/** An observer further behind than this is dropped rather than buffered without bound. */
const MAX_BACKLOG_BYTES = 1 << 20;

export function socketPathFor(runDir: string, card: string): string {
  return join(runDir, `${card}.sock`);
}

export interface AttachServer {
  readonly path: string;
  readonly observers: number;
  close(): Promise<void>;
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

export async function startAttachServer(
  runDir: string,
  card: string,
  bus: EventBus,
): Promise<AttachServer> {
  const path = socketPathFor(runDir, card);
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH) {
    throw new Error(`the socket path ${path} is longer than ${MAX_SOCKET_PATH} bytes`);
  }
  mkdirSync(runDir, { recursive: true, mode: 0o700 });
  // Our lock is held, so a socket left here belongs to a flasher that died: remove it.
  if (await socketIsLive(path)) throw new Error(`another flasher is serving ${path}`);
  rmSync(path, { force: true });

  const clients = new Set<Socket>();
  const send = (socket: Socket, text: string): void => {
    if (socket.writableLength > MAX_BACKLOG_BYTES) {
      socket.destroy();
      return;
    }
    socket.write(text);
  };
  const server: Server = createServer((socket) => {
    socket.on('error', () => socket.destroy());
    socket.on('close', () => clients.delete(socket));
    clients.add(socket);
    for (const event of bus.replay()) send(socket, line(event));
  });
  const unsubscribe = bus.subscribe((event) => {
    if (event.event === 'hashing') return;
    const text = line(event);
    for (const socket of clients) send(socket, text);
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
      return clients.size;
    },
    async close() {
      unsubscribe();
      for (const socket of clients) socket.end();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(path, { force: true });
    },
  };
}

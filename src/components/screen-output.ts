/**
 * The wizard's screen on a channel that never blocks (report/output-channel.ts). While the
 * terminal does not drain (Ctrl-S, a stalled SSH link), only the newest frame is kept; once it
 * drains, that frame is written as an update of the frame really on screen (frame-diff.ts), so a
 * stalled terminal costs nothing but stale pictures, and the last frame (the summary) always
 * arrives. Everything else Ink writes (clears, cursor) keeps its order after the newest frame.
 */
import type { OutputChannel } from '../report/output-channel.js';
import {
  eraseFromScreen,
  FrameDiffer,
  isStateNeutral,
  isSyncMarker,
  SYNC_BEGIN,
  SYNC_END,
} from './frame-diff.js';

export function screenOnChannel(
  stream: NodeJS.WriteStream,
  channel: OutputChannel,
): NodeJS.WriteStream {
  const differ = new FrameDiffer();
  let newest: string | null = null;
  /** cursor visibility written while a frame waited: it goes out after that frame */
  let cursor = '';
  /** a begin-synchronized-update marker went out and its end has not */
  let syncOpen = false;
  const send = (text: string): void => {
    if (text === SYNC_BEGIN) syncOpen = true;
    if (text === SYNC_END) syncOpen = false;
    channel.send(text);
  };
  const sendNewest = (): void => {
    if (newest === null) return;
    const frame = eraseFromScreen(newest, differ.rowCount) ?? newest;
    newest = null;
    send(differ.transform(frame) + cursor);
    cursor = '';
    if (syncOpen) send(SYNC_END); // the end that was dropped while the frame waited
  };
  channel.onIdle = sendNewest;
  const write = (chunk: unknown, ...rest: unknown[]): boolean => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString();
    if (eraseFromScreen(text, null) !== null) {
      newest = text;
      if (channel.idle) sendNewest();
    } else if (isSyncMarker(text) && (newest !== null || !channel.idle)) {
      // Markers around a frame that waits would only force it out: the frame goes whole.
    } else if (isStateNeutral(text) && newest !== null) {
      cursor = text; // cursor visibility follows the frame that waits
    } else {
      sendNewest();
      send(differ.transform(text));
    }
    // As a stream's: called once what was written before has gone out, never synchronously
    // (Ink's unmount writes '' with the callback that ends waitUntilExit, then waits for it).
    const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    if (callback) void channel.drained().then(callback);
    return true;
  };
  return new Proxy(stream, {
    get(target, property) {
      if (property === 'write') return write;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function'
        ? (value as (...a: unknown[]) => unknown).bind(target)
        : value;
    },
  });
}

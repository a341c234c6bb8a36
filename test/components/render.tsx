/**
 * ink-testing-library's render with a terminal of a chosen size (its own stdout is 100 columns
 * with no rows), plus the waits of docs/terminal-notes.md §3.7.
 */
import { EventEmitter } from 'node:events';
import { stripVTControlCharacters } from 'node:util';
import { render as inkRender, type Instance } from 'ink';
import type { ReactElement } from 'react';

export class TestStdout extends EventEmitter {
  readonly frames: string[] = [];
  isTTY = true;
  constructor(
    public columns = 80,
    public rows = 24,
  ) {
    super();
  }
  write = (frame: string): boolean => {
    this.frames.push(frame);
    return true;
  };
  lastFrame = (): string => this.frames.at(-1) ?? '';
  /** everything written, without escape sequences (for real, non-debug renders) */
  text = (): string => stripVTControlCharacters(this.frames.join(''));
  resize(columns: number, rows: number): void {
    this.columns = columns;
    this.rows = rows;
    this.emit('resize');
  }
}

export class TestStdin extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  write = (data: string): void => {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  };
  read = (): string | null => {
    const { data } = this;
    this.data = null;
    return data;
  };
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}

export interface Rendered {
  readonly stdout: TestStdout;
  readonly stdin: TestStdin;
  readonly instance: Instance;
  lastFrame(): string;
  /** write keys, then wait a macrotask (Ink parses input on the next tick) */
  press(keys: string): Promise<void>;
  /** poll until the frame contains `text` */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<string>;
  /** poll until the frame satisfies `test` */
  waitUntil(test: (frame: string) => boolean, timeoutMs?: number): Promise<string>;
  unmount(): void;
}

const mounted: Instance[] = [];

export const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

export async function renderInk(
  tree: ReactElement,
  { columns = 80, rows = 24 }: { columns?: number; rows?: number } = {},
): Promise<Rendered> {
  const stdout = new TestStdout(columns, rows);
  const stdin = new TestStdin();
  const instance = inkRender(tree, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: new TestStdout() as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  mounted.push(instance);
  // Let effects run and measurements settle before the first key (Shopify waits 10 ms).
  await new Promise((r) => setTimeout(r, 10));
  const lastFrame = (): string => stdout.lastFrame();
  const waitUntil = async (test: (frame: string) => boolean, timeoutMs = 2000): Promise<string> => {
    const started = Date.now();
    for (;;) {
      const frame = lastFrame();
      if (test(frame)) {
        // a newly mounted input subscribes in an effect after the frame: let it
        await tick();
        return frame;
      }
      if (Date.now() - started > timeoutMs)
        throw new Error(`timed out waiting; last frame:\n${frame}`);
      await new Promise((r) => setImmediate(r));
      await tick();
    }
  };
  return {
    stdout,
    stdin,
    instance,
    lastFrame,
    async press(keys) {
      stdin.write(keys);
      await tick();
      await tick();
    },
    waitFor: (text, timeoutMs) =>
      waitUntil(
        (frame) => (typeof text === 'string' ? frame.includes(text) : text.test(frame)),
        timeoutMs,
      ),
    waitUntil,
    unmount() {
      instance.unmount();
    },
  };
}

export function unmountAll(): void {
  for (const instance of mounted.splice(0)) {
    instance.unmount();
    instance.cleanup();
  }
}

export const KEY = {
  up: '\u001B[A',
  down: '\u001B[B',
  enter: '\r',
  escape: '\u001B',
  ctrlC: '\u0003',
  ctrlZ: '\u001A',
  pageDown: '\u001B[6~',
  pageUp: '\u001B[5~',
} as const;

/** A frame's text with line wraps undone, for sentences that wrap at 80 columns. */
export function unwrapped(frame: string): string {
  return frame.replace(/\n\s*/g, ' ').replace(/ {2,}/g, ' ');
}

/** Rows of a frame as the terminal shows them. */
export function frameRows(frame: string): string[] {
  return frame.replace(/\n$/, '').split('\n');
}

/**
 * Keeps a stray `ESC[?25h` out of the test output. Component tests draw on fake terminals
 * (`isTTY` true, so Ink hides "their" cursor); Ink's cursor library then registers an exit hook
 * (restore-cursor) that writes `ESC[?25h` to the real stderr when the test worker exits. That
 * cursor was never hidden on the real stderr, so the write is dropped here; everything else
 * passes through.
 */
const SHOW_CURSOR = '\u001B[?25h';
const write = process.stderr.write.bind(process.stderr) as (...args: unknown[]) => boolean;
process.stderr.write = ((chunk: unknown, ...rest: unknown[]): boolean =>
  chunk === SHOW_CURSOR ? true : write(chunk, ...rest)) as typeof process.stderr.write;

/**
 * The terminal's size, updated on 'resize' (Ink 6 has no such hook; like Gemini CLI's
 * useTerminalSize). Ink itself skips its resize listener under CI, this one does not.
 */
import { useStdout } from 'ink';
import { useEffect, useState } from 'react';

export interface TerminalSize {
  readonly columns: number;
  readonly rows: number;
}

/** What a terminal that does not say its size is assumed to be. */
export const DEFAULT_SIZE: TerminalSize = { columns: 80, rows: 24 };

/** Below this the screens cannot show a question with what it rests on; Frame says so. */
export const MIN_SIZE: TerminalSize = { columns: 40, rows: 12 };

export function isTooSmall(size: TerminalSize): boolean {
  return size.columns < MIN_SIZE.columns || size.rows < MIN_SIZE.rows;
}

/** The real size (a smaller one than MIN_SIZE too: the frame must know to refuse it). */
function read(stdout: NodeJS.WriteStream): TerminalSize {
  return {
    columns: stdout.columns || DEFAULT_SIZE.columns,
    rows: stdout.rows || DEFAULT_SIZE.rows,
  };
}

export function useTerminalSize(): TerminalSize {
  const { stdout } = useStdout();
  const [size, setSize] = useState(() => read(stdout));
  useEffect(() => {
    const onResize = (): void => {
      const next = read(stdout);
      setSize((prev) => (prev.columns === next.columns && prev.rows === next.rows ? prev : next));
    };
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}

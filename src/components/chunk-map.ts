/**
 * The chunk map's layout (pure): one cell per call of the pass, wrapped to the width. When the
 * calls do not fit in the rows allowed, each cell stands for several calls and says so.
 */
import type { CellState } from './glyphs.js';

const LETTERS: Readonly<Record<string, CellState>> = {
  p: 'pending',
  f: 'inFlight',
  d: 'done',
  x: 'failed',
};

/** One cell for a run of calls: a failure or the call in flight wins; a mix is partial. */
export function cellFor(letters: string): CellState {
  if (letters.includes('x')) return 'failed';
  if (letters.includes('f')) return 'inFlight';
  const states = new Set([...letters].map((l) => LETTERS[l] ?? 'pending'));
  if (states.size === 1) return [...states][0] ?? 'pending';
  return 'partial';
}

export interface ChunkMapLayout {
  readonly rows: readonly (readonly CellState[])[];
  readonly callsPerCell: number;
}

export function layoutChunkMap(chunks: string, width: number, maxRows: number): ChunkMapLayout {
  const w = Math.max(1, width);
  const capacity = w * Math.max(1, maxRows);
  const callsPerCell = chunks.length <= capacity ? 1 : Math.ceil(chunks.length / capacity);
  const cells: CellState[] = [];
  for (let i = 0; i < chunks.length; i += callsPerCell)
    cells.push(cellFor(chunks.slice(i, i + callsPerCell)));
  const rows: CellState[][] = [];
  for (let i = 0; i < cells.length; i += w) rows.push(cells.slice(i, i + w));
  return { rows, callsPerCell };
}

/** A row as runs of equal cells (few Text nodes per row). */
export function runsOf(row: readonly CellState[]): { state: CellState; length: number }[] {
  const runs: { state: CellState; length: number }[] = [];
  for (const state of row) {
    const last = runs.at(-1);
    if (last && last.state === state) last.length++;
    else runs.push({ state, length: 1 });
  }
  return runs;
}

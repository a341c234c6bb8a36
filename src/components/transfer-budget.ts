/**
 * How the transfer screen spends its rows (pure): the fixed lines first, then the chunk map up
 * to what it needs, then the latest warnings. Keeps the live area inside the frame at 80x24.
 */
export interface TransferBudgetInput {
  readonly bodyRows: number;
  readonly width: number;
  readonly calls: number;
  readonly validate: boolean;
  /** rows the timing block takes now */
  readonly timingRows: number;
  readonly warnings: number;
}

export interface TransferBudget {
  readonly mapRows: number;
  readonly warnings: number;
}

/** context line, blank, two stats lines, blank, map legend, blank before the timing block */
const FIXED = 7;
/** a warning usually wraps to two rows at 80 columns */
const WARNING_ROWS = 2;

export function transferBudget(input: TransferBudgetInput): TransferBudget {
  const free = input.bodyRows - FIXED - (input.validate ? 1 : 0) - input.timingRows;
  const needed = Math.max(1, Math.ceil(input.calls / Math.max(1, input.width)));
  const reserve = input.warnings > 0 ? WARNING_ROWS : 0;
  const mapRows = Math.max(1, Math.min(needed, free - reserve));
  const left = free - mapRows;
  return {
    mapRows,
    warnings: Math.max(0, Math.min(2, input.warnings, Math.floor(left / WARNING_ROWS))),
  };
}

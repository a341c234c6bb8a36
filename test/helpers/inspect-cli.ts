/** Shared by the inspect CLI tests: the refusal shape every bad input must have. */
import { expect } from 'vitest';
import type { CliResult } from './cli.js';

/** Exit 2, the problem and a fix on stderr, never a stack trace. */
export function expectRefused(r: CliResult, message: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/^cxl-flasher: /);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).toMatch(/\n {2}fix: \S/);
  expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
  expect(r.stderr).not.toMatch(/internal error/);
}

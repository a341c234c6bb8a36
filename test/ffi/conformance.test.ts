import { join } from 'node:path';
import { describe, it } from 'vitest';
import { conformanceCases } from './conformance-suite.js';
import { buildShim } from './shim.js';

const shimPath = buildShim(join(process.cwd(), 'build', 'ffi', process.arch));

describe('FFI conformance through the C shim', () => {
  for (const c of conformanceCases) {
    it(c.name, () => c.run({ shimPath, emulated: false }), 60_000);
  }
});

/**
 * The kernel-harness parity check with plain node (no vitest), for the ppc64le emulator run
 * (scripts/test-ppc64le.sh): each scenario through the simulator's driver and through the
 * kernel's own flash.c, built for ppc64le, must give the same calls, returns, errno, kernel log
 * and adapter state.
 *
 *   node kernel-harness-parity.js --library PATH [--library PATH] [--quick]
 */
import { isDeepStrictEqual } from 'node:util';
import { parseArgs } from 'node:util';
import {
  PARITY_CASES,
  summariseCalls,
  throughKernel,
  throughSimulator,
} from '../test/kernel-harness/parity.js';

const { values } = parseArgs({
  options: {
    library: { type: 'string', multiple: true },
    quick: { type: 'boolean', default: false },
  },
});
const libraries = values.library ?? [];
if (libraries.length === 0) {
  console.error('usage: kernel-harness-parity --library PATH [--library PATH] [--quick]');
  process.exit(2);
}

// Under emulation: the scenarios that cross every path of flash.c, without the 64 MiB image
// and the 3-second waits, which cost minutes there and nothing the host run does not cover.
const QUICK = new Set([1, 3967, 1_048_577]);
const cases = PARITY_CASES.filter(
  ([, size, scenarios, pause]) =>
    !values.quick ||
    (pause === null && (scenarios.length > 0 ? size === 2_500_000 : QUICK.has(size))),
);

let passed = 0;
let failed = 0;
for (const [name, size, scenarios, pause] of cases) {
  const simulated = await throughSimulator(scenarios, size, pause);
  for (const library of libraries) {
    const title = `${name}, ${size} bytes, ${library.replace(/.*\//, '')}`;
    const kernel = await throughKernel(library, scenarios, size, pause);
    if (kernel.problems.length === 0 && isDeepStrictEqual(kernel.trace, simulated)) {
      passed++;
      console.log(`ok - ${title}: ${summariseCalls(simulated.calls)}`);
    } else {
      failed++;
      console.log(`not ok - ${title}`);
      console.log(`# simulator: ${JSON.stringify(simulated)}`);
      console.log(`# kernel:    ${JSON.stringify(kernel)}`);
    }
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);

/**
 * Runs the FFI conformance suite with plain node (no vitest), for the ppc64le emulator run
 * (scripts/test-ppc64le.sh) where vitest's native packages do not exist.
 *
 *   node ffi-conformance.js --shim PATH [--emulated]
 */
import { parseArgs } from 'node:util';
import { conformanceCases } from '../test/ffi/conformance-suite.js';
import { cxlRequestNumbers, formatRequestNumber } from '../src/ioctl/request-numbers.js';
import { hostByteOrder } from '../src/ioctl/abi.js';

const { values } = parseArgs({
  options: { shim: { type: 'string' }, emulated: { type: 'boolean', default: false } },
});
if (!values.shim) {
  console.error('usage: ffi-conformance --shim PATH [--emulated]');
  process.exit(2);
}

const requests = cxlRequestNumbers();
console.log(
  `# node ${process.version} ${process.arch} ${hostByteOrder()}; layout ${requests.layout.name}; ` +
    `DOWNLOAD ${formatRequestNumber(requests.downloadImage)} VALIDATE ${formatRequestNumber(requests.validateImage)}`,
);
let passed = 0;
let failed = 0;
for (const c of conformanceCases) {
  const started = performance.now();
  try {
    await c.run({ shimPath: values.shim, emulated: values.emulated });
    passed++;
    console.log(`ok - ${c.name} (${Math.round(performance.now() - started)} ms)`);
  } catch (error) {
    failed++;
    console.log(`not ok - ${c.name}`);
    console.log(
      String(error instanceof Error ? (error.stack ?? error.message) : error).replace(
        /^/gm,
        '#   ',
      ),
    );
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;

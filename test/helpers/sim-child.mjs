// A second process on the same simulator directory (built code, as a real second instance
// runs): opens the card, makes CALLS download calls, prints "ready PID", and closes when it
// reads a line on stdin. Usage: node sim-child.mjs DIR CALLS
import { openSimulation } from '../../dist/sim/simulation.js';
import { chunkPlan } from '../../dist/image/chunk-plan.js';

const [dir, calls = '0'] = process.argv.slice(2);
const sim = await openSimulation({ dir, scenarios: ['speed@1000'] });
const device = sim.openCardDevice('/dev/cxl/card0');
const opened = await device.open();
if (!opened.ok) {
  process.stdout.write(`open failed ${opened.errno}\n`);
  process.exit(1);
}
const size = 3 * 1024 * 1024;
const padded = Buffer.alloc(size + 128, 0x5a);
for (const call of chunkPlan(size).calls.slice(0, Number(calls))) {
  await device.download({
    flags: call.flags,
    data: padded.subarray(call.offset),
    lenData: call.lenData,
    lenImage: size,
  });
}
process.stdout.write(`ready ${process.pid}\n`);
process.stdin.once('data', async () => {
  await device.close();
  await sim.dispose();
  process.stdout.write('closed\n');
  process.exit(0);
});

/**
 * The simulator's sample image (`<state-dir>/simulator/sample-64MiB.bin`) is written when a
 * command names it and it is not there yet, as the wizard does when it offers it: so the examples
 * of --help, the README and the man page run as written on a new state directory.
 */
import { resolve } from 'node:path';
import type { CommandContext } from './context.js';

export async function writeSampleIfNamed(
  context: CommandContext,
  imagePath: string,
): Promise<void> {
  if (!context.simulation) return;
  const { sampleImagePath, writeSampleImage } = await import('../sim/sample-image.js');
  if (resolve(imagePath) !== resolve(sampleImagePath(context.simulation.dir))) return;
  await writeSampleImage(context.simulation.dir);
}

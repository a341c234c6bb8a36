/**
 * What the simulated adapter reports about its image, for `recover` and the start screen: the
 * simulator's model stands for what an operator would read from the HMC on real hardware.
 */
import type { ImageEvidence } from '../journal/adapter-claim.js';
import type { SimModel } from './model.js';

export function simulatedImageEvidence(model: SimModel): ImageEvidence {
  if (model.image.state !== 'valid') return 'none';
  return model.image.origin === 'factory' ? 'factory' : 'valid';
}

/** How each outcome is announced: a status variant and a word that reads without colour. */
import type { Outcome } from '../flash/events.js';

export type Variant = 'success' | 'error' | 'warning' | 'info';

export const OUTCOME: Readonly<Record<Outcome, { variant: Variant; word: string }>> = {
  success: { variant: 'success', word: 'SUCCESS' },
  'nothing-to-do': { variant: 'info', word: 'NOTHING TO DO' },
  checked: { variant: 'success', word: 'CHECKED' },
  'same-image': { variant: 'warning', word: 'ALREADY RUNS THIS IMAGE' },
  failed: { variant: 'error', word: 'FAILED' },
  rejected: { variant: 'error', word: 'REJECTED' },
  lost: { variant: 'error', word: 'ADAPTER DID NOT COME BACK' },
  aborted: { variant: 'warning', word: 'ABORTED' },
  refused: { variant: 'warning', word: 'REFUSED' },
  'bad-input': { variant: 'error', word: 'BAD INPUT' },
};

/** The title and step number of each phase, as the header shows them. */
import type { CtrlCAction, Phase } from '../flash/events.js';
import type { CtrlCTone } from './Frame.js';

export const PHASE_TITLES: Readonly<Record<Phase, { title: string; step?: string }>> = {
  starting: { title: 'Starting' },
  recovery: { title: 'Recovery' },
  selectAdapter: { title: 'Choose the adapter', step: '1/7' },
  selectImage: { title: 'Choose the image', step: '2/7' },
  loadingImage: { title: 'Reading the image', step: '2/7' },
  review: { title: 'Review and confirm', step: '3/7' },
  opening: { title: 'Opening the card device', step: '4/7' },
  download: { title: 'Download', step: '4/7' },
  validate: { title: 'Validate', step: '5/7' },
  reload: { title: 'Reload', step: '6/7' },
  summary: { title: 'Summary', step: '7/7' },
};

export const CTRL_C_TONE: Readonly<Record<CtrlCAction, CtrlCTone>> = {
  quit: 'calm',
  exit: 'calm',
  'confirm-abort': 'caution',
  deferred: 'deferred',
};

export const OBSERVER_CTRL_C =
  'Read-only view: Ctrl-C, q or Esc leaves it; the flash goes on in the process that runs it.';

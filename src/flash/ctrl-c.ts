/**
 * What Ctrl-C does in each phase (docs/architecture.md §5), in words the screen shows before the key is
 * pressed: no other flasher shows its interrupt policy in advance.
 */
import type { CtrlCPolicy, Phase } from './events.js';

/** The phases in which the card device is being opened, is open, or reloads the adapter. */
export const TRANSFER_PHASES: readonly Phase[] = ['opening', 'download', 'validate', 'reload'];

/**
 * `interactive`: the wizard asks on screen; without a terminal nobody can answer, so a second
 * Ctrl-C within 5 s is the confirmation (docs/architecture.md §5).
 */
export function ctrlCPolicy(phase: Phase, interactive = true): CtrlCPolicy {
  const asks = interactive ? 'Ctrl-C asks before aborting' : 'Ctrl-C twice within 5 s aborts';
  switch (phase) {
    case 'starting':
    case 'recovery':
    case 'selectAdapter':
    case 'selectImage':
    case 'loadingImage':
    case 'review':
      return { action: 'quit', description: 'Ctrl-C quits; the adapter has not been touched.' };
    case 'opening':
      return {
        action: 'quit',
        description:
          'Ctrl-C stops opening the card device; nothing has been written, but if the open went through, closing the device resets the adapter.',
      };
    case 'download':
      return {
        action: 'confirm-abort',
        description: `${asks}: an abort resets the adapter, which then has no valid image until a complete flash succeeds.`,
      };
    case 'validate':
      return {
        action: 'confirm-abort',
        description: `${asks}: the image is written but not validated; an abort resets the adapter, which then has no valid image until a complete flash succeeds.`,
      };
    case 'reload':
      return {
        action: 'deferred',
        description:
          'Ctrl-C is deferred: the kernel is reloading the adapter and cannot be interrupted; wait for it.',
      };
    case 'summary':
      return { action: 'exit', description: 'Ctrl-C or q exits.' };
  }
}

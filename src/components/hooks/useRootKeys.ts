/**
 * The one place Ctrl-C and Ctrl-Z are handled (raw mode delivers them as keys), and q, the
 * quit key, everywhere but in a text field. A read-only view only ever leaves.
 */
import { useInput, useStdin } from 'ink';
import type { Phase } from '../../flash/events.js';
import { useActions, useFlash } from '../context.js';

/** Screens whose text field owns the printable keys. */
const TEXT_ENTRY: ReadonlySet<Phase> = new Set(['selectImage']);

export function useRootKeys(): void {
  const actions = useActions();
  const phase = useFlash((s) => s.phase);
  const observer = useFlash((s) => s.observer);
  const prompt = useFlash((s) => s.interruptPrompt);
  const { isRawModeSupported } = useStdin();
  useInput(
    (input, key) => {
      if (key.ctrl && input === 'c') {
        if (observer) actions.exit();
        else actions.interrupt();
        return;
      }
      if (key.ctrl && input === 'z') {
        if (!observer) actions.suspend();
        return;
      }
      if (observer) {
        if (input === 'q' || key.escape) actions.exit();
        return;
      }
      if (phase === 'summary') {
        if (input === 'q' || key.escape) actions.exit();
        return;
      }
      // q never answers the abort question: only y (or a second Ctrl-C) does.
      if (input === 'q' && !TEXT_ENTRY.has(phase) && !prompt) actions.interrupt();
    },
    { isActive: Boolean(isRawModeSupported) },
  );
}

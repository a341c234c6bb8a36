/** The frame of the wizard's screens, filled from the store (title, badges, Ctrl-C, notice). */
import type { ReactNode } from 'react';
import { useFlash } from './context.js';
import { Frame } from './Frame.js';
import type { HelpItem } from './HelpLine.js';
import { CTRL_C_TONE, OBSERVER_CTRL_C, PHASE_TITLES } from './steps.js';

const OBSERVER_HELP: readonly HelpItem[] = [{ keys: 'q/Esc/Ctrl-C', does: 'leave this view' }];

export function WizardFrame({
  help,
  noticeInBody = false,
  children,
}: {
  readonly help: readonly HelpItem[];
  /** the screen shows the notice itself, next to the field it is about */
  readonly noticeInBody?: boolean;
  readonly children: ReactNode;
}) {
  const phase = useFlash((s) => s.phase);
  const simulated = useFlash((s) => s.simulated);
  const observer = useFlash((s) => s.observer);
  const ctrlC = useFlash((s) => s.ctrlC);
  const notice = useFlash((s) => s.notice);
  const { title, step } = PHASE_TITLES[phase];
  return (
    <Frame
      title={title}
      step={step}
      simulated={simulated}
      readOnly={observer}
      notice={noticeInBody ? null : notice}
      ctrlC={
        observer
          ? { text: OBSERVER_CTRL_C, tone: 'calm' }
          : { text: ctrlC.description, tone: CTRL_C_TONE[ctrlC.action] }
      }
      help={observer ? OBSERVER_HELP : help}
    >
      {children}
    </Frame>
  );
}

/** The first screen: the engine reads the journal and looks for adapters. */
import { Spinner } from '@inkjs/ui';
import { useGlyphs } from './context.js';
import { QUIT } from './help.js';
import { WizardFrame } from './WizardFrame.js';

const HELP = [QUIT];

export function StartingScreen() {
  const glyphs = useGlyphs();
  return (
    <WizardFrame help={HELP}>
      <Spinner type={glyphs.spinner} label="Reading the journal and looking for adapters" />
    </WizardFrame>
  );
}

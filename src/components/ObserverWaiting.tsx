/** A read-only view attached before the other process has reached the device part. */
import { Spinner } from '@inkjs/ui';
import { Text } from 'ink';
import { useFlash, useGlyphs } from './context.js';
import { PHASE_TITLES } from './steps.js';
import { WizardFrame } from './WizardFrame.js';

export function ObserverWaiting() {
  const glyphs = useGlyphs();
  const phase = useFlash((s) => s.phase);
  return (
    <WizardFrame help={[]}>
      <Text>
        The other process is at "{PHASE_TITLES[phase].title}". Its choices are made there; this view
        follows the flash once the card device is opened.
      </Text>
      <Spinner type={glyphs.spinner} label="Waiting for the flash to start" />
    </WizardFrame>
  );
}

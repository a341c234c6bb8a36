/** Choose the card to flash: every card's facts, and who uses it (docs/architecture.md §3.2). */
import { Select } from '@inkjs/ui';
import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { CardBlock } from './CardBlock.js';
import { cardOptionLabel } from './card-text.js';
import { useFlash, useGlyphs } from './context.js';
import { BACK, CHOOSE, move, QUIT, SCROLL } from './help.js';
import { useAdapterPick } from './hooks/useAdapterPick.js';
import { usePickerKeys } from './hooks/usePickerKeys.js';
import { OverridePrompt } from './OverridePrompt.js';
import { ScrollArea } from './ScrollArea.js';
import { WizardFrame } from './WizardFrame.js';

export function AdapterPicker() {
  const glyphs = useGlyphs();
  const cards = useFlash((s) => s.cards);
  const options = useMemo(
    () => cards.map((c) => ({ label: cardOptionLabel(c), value: c.name })),
    [cards],
  );
  const { pending, round, pick, override, cancel } = useAdapterPick(cards);
  usePickerKeys({ overrideOpen: pending !== null, cancel });
  const help = [move(glyphs), CHOOSE, SCROLL, BACK, QUIT];
  if (cards.length === 0)
    return (
      <WizardFrame help={[QUIT]}>
        <Text>
          No CAPI card is visible in /sys/class/cxl. Run `cxl-flasher doctor` to see why (driver,
          guest mode, permissions).
        </Text>
      </WizardFrame>
    );
  return (
    <WizardFrame help={help}>
      <Box flexDirection="column" flexShrink={0}>
        <Text bold>Flash which adapter?</Text>
        <Select
          key={round}
          options={options}
          onChange={pick}
          isDisabled={pending !== null}
          visibleOptionCount={Math.min(5, options.length)}
        />
      </Box>
      {pending ? (
        <Box marginTop={1} flexShrink={0} flexDirection="column">
          <OverridePrompt card={pending} onConfirm={override} onCancel={cancel} />
        </Box>
      ) : null}
      <Box marginTop={1} flexDirection="column" flexGrow={1} flexShrink={1}>
        <ScrollArea>
          {cards.map((card) => (
            <Box key={card.name} marginBottom={1} flexShrink={0}>
              <CardBlock card={card} />
            </Box>
          ))}
        </ScrollArea>
      </Box>
    </WizardFrame>
  );
}

/** Path entry for the image, with completion from the image files the engine found. */
import { TextInput } from '@inkjs/ui';
import { Box, Text } from 'ink';
import { useCallback, useMemo, useState } from 'react';
import { useActions, useBodySize, useFlash, useGlyphs } from './context.js';
import { BACK } from './help.js';
import { useBackKey } from './hooks/useBackKey.js';
import { capList } from './layout.js';
import { WizardFrame } from './WizardFrame.js';

const HELP = [{ keys: 'Enter', does: 'accept' }, BACK, { keys: 'Ctrl-C', does: 'quit' }];

export function ImageScreen() {
  useBackKey();
  return (
    <WizardFrame help={HELP}>
      <ImageEntry />
    </WizardFrame>
  );
}

/** Inside the frame, so the list of files found fits the rows left. */
function ImageEntry() {
  const glyphs = useGlyphs();
  const actions = useActions();
  const body = useBodySize();
  const card = useFlash((s) => s.card);
  const found = useFlash((s) => s.imageCandidates);
  const suggestions = useMemo(() => [...found], [found]);
  const [typed, setTyped] = useState('');
  const submit = useCallback(
    (value: string) => {
      const path = value.trim();
      if (path) actions.chooseImage(path);
    },
    [actions],
  );
  // A pasted path often ends in a newline, which arrives inside the text, not as Enter.
  const change = useCallback(
    (value: string) => {
      const newline = value.search(/[\r\n]/);
      if (newline >= 0) submit(value.slice(0, newline));
      else setTyped(value);
    },
    [submit],
  );
  const completion = typed ? found.find((c) => c.startsWith(typed)) : undefined;
  const matching = found.filter((c) => c.startsWith(typed));
  const { shown, hidden } = capList(matching, Math.max(1, body.height - 8));
  return (
    <>
      <Text>
        Image file to flash onto{' '}
        <Text bold>
          {card ? `${card.name} at ${card.locationCode ?? 'no location code'}` : 'the adapter'}
        </Text>
        :
      </Text>
      <Box gap={1}>
        <Text>{glyphs.pointer}</Text>
        <TextInput
          placeholder="path to the image file"
          suggestions={suggestions}
          onChange={change}
          onSubmit={submit}
        />
      </Box>
      <Text dimColor>
        {completion && completion !== typed
          ? `Enter takes the completion: ${completion}`
          : 'The file is read only after Enter; the card is not touched until you confirm.'}
      </Text>
      {found.length > 0 ? (
        <Box flexDirection="column" marginTop={1} flexShrink={0}>
          <Text bold>
            {typed
              ? `Image files starting with what you typed: ${matching.length}`
              : `Image files found: ${found.length}`}
          </Text>
          {shown.map((path) => (
            <Text key={path}>
              {glyphs.bullet} {path}
            </Text>
          ))}
          {hidden > 0 ? <Text dimColor>and {hidden} more; type more of the path</Text> : null}
        </Box>
      ) : null}
    </>
  );
}

/**
 * Path entry for the image, with the image files the engine found: Down/Up choose one, Tab
 * completes (to the chosen file, or as far as the matching files agree), Enter takes it. A quoted
 * paste and `~` mean what a shell would make of them. A bad path is reported under the field.
 */
import { TextInput } from '@inkjs/ui';
import { Box, Text, useInput, useStdin } from 'ink';
import { homedir } from 'node:os';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useActions, useBodySize, useFlash, useGlyphs } from './context.js';
import { plain } from './glyphs.js';
import { BACK } from './help.js';
import { useBackKey } from './hooks/useBackKey.js';
import { meantPath, tabCompletion } from './image-path-input.js';
import { capList } from './layout.js';
import { WizardFrame } from './WizardFrame.js';

export function ImageScreen() {
  const glyphs = useGlyphs();
  useBackKey();
  const help = [
    { keys: 'Enter', does: 'accept' },
    { keys: `${glyphs.down}/${glyphs.up}`, does: 'choose a file found' },
    { keys: 'Tab', does: 'complete' },
    BACK,
    { keys: 'Ctrl-C', does: 'quit' },
  ];
  return (
    <WizardFrame help={help} noticeInBody>
      <ImageEntry />
    </WizardFrame>
  );
}

/** Inside the frame, so the list of files found fits the rows left. */
function ImageEntry() {
  const glyphs = useGlyphs();
  const actions = useActions();
  const body = useBodySize();
  const { isRawModeSupported } = useStdin();
  const card = useFlash((s) => s.card);
  const found = useFlash((s) => s.imageCandidates);
  const notice = useFlash((s) => s.notice);
  const suggestions = useMemo(() => [...found], [found]);
  const home = useMemo(() => homedir(), []);
  const [typed, setTyped] = useState('');
  const [chosen, setChosen] = useState<number | null>(null);
  // a new key remounts the field with a value of ours (Tab); the field keeps its own otherwise
  const [field, setField] = useState({ key: 0, value: '' });
  const meant = meantPath(typed, home);
  const matching = useMemo(() => found.filter((c) => c.startsWith(meant)), [found, meant]);
  const chosenPath = chosen === null ? null : (matching[chosen] ?? null);
  // What Enter takes: the file chosen with the arrows, else the first file found that starts
  // with the path meant (the completion shown), else the path meant.
  const take = useCallback(
    (raw: string): void => {
      const path = meantPath(raw, home);
      const pick = chosenPath ?? (path ? found.find((c) => c.startsWith(path)) : undefined) ?? path;
      if (pick) actions.chooseImage(pick);
    },
    [actions, chosenPath, found, home],
  );
  // The field's text as it reported it last (its onChange runs in its effect, before ours).
  const latest = useRef('');
  // A pasted path often ends in a newline, which arrives inside the text, not as Enter.
  // The field calls onChange again whenever the callback changes: keep it the same one.
  const takeLater = useRef(take);
  useEffect(() => {
    takeLater.current = take;
  }, [take]);
  const change = useCallback((value: string) => {
    const newline = value.search(/[\r\n]/);
    if (newline >= 0) {
      takeLater.current(value.slice(0, newline));
      return;
    }
    latest.current = value;
    setTyped(value);
    setChosen(null);
  }, []);
  // Enter is decided after the render that follows it, when the field has told us its text: a
  // paste and the Enter after it can arrive before the field has drawn the paste.
  const [enters, setEnters] = useState(0);
  const taken = useRef(0);
  useEffect(() => {
    if (enters <= taken.current) return;
    taken.current = enters;
    take(latest.current);
  }, [enters, take]);
  useInput(
    (_input, key) => {
      if (key.return) setEnters((n) => n + 1);
      else if (key.downArrow && matching.length > 0)
        setChosen((c) => (c === null ? 0 : Math.min(matching.length - 1, c + 1)));
      else if (key.upArrow) setChosen((c) => (c === null || c === 0 ? null : c - 1));
      else if (key.tab) {
        const next = tabCompletion(meant, matching, chosenPath);
        if (next === null) return;
        setField((f) => ({ key: f.key + 1, value: next }));
        latest.current = next;
        setTyped(next);
        setChosen(null);
      }
    },
    { isActive: Boolean(isRawModeSupported) },
  );
  const completion = meant ? matching[0] : undefined;
  const first = chosen === null ? 0 : Math.max(0, chosen - Math.max(1, body.height - 9) + 1);
  const { shown, hidden } = capList(matching.slice(first), Math.max(1, body.height - 9));
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
          key={field.key}
          defaultValue={field.value}
          placeholder="path to the image file"
          suggestions={suggestions}
          onChange={change}
        />
      </Box>
      {notice ? <Text color="red">{plain(glyphs, notice)}</Text> : null}
      <Text dimColor>
        {chosenPath
          ? `Enter takes ${chosenPath}`
          : completion && completion !== meant
            ? `Enter takes the completion: ${completion}`
            : 'The file is read only after Enter; the card is not touched until you confirm.'}
      </Text>
      {found.length > 0 ? (
        <Box flexDirection="column" marginTop={1} flexShrink={0}>
          <Text bold>
            {meant
              ? `Image files starting with what you typed: ${matching.length}`
              : `Image files found: ${found.length}`}
            <Text dimColor bold={false}>
              {matching.length > 0 ? ` (${glyphs.down}/${glyphs.up} choose, Tab completes)` : ''}
            </Text>
          </Text>
          {first > 0 ? <Text dimColor>{first} above</Text> : null}
          {shown.map((path, i) => (
            <Text key={path} bold={first + i === chosen}>
              {first + i === chosen ? glyphs.pointer : glyphs.bullet} {path}
            </Text>
          ))}
          {hidden > 0 ? <Text dimColor>and {hidden} more; type more of the path</Text> : null}
        </Box>
      ) : null}
    </>
  );
}

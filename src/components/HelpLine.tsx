/** The keys of the current screen, one line, the same wording everywhere. */
import { Text } from 'ink';
import { useGlyphs } from './context.js';

export interface HelpItem {
  readonly keys: string;
  readonly does: string;
}

export function helpText(items: readonly HelpItem[], sep: string): string {
  return items.map((i) => `${i.keys} ${i.does}`).join(sep);
}

export function HelpLine({
  items,
  oneRow = false,
}: {
  readonly items: readonly HelpItem[];
  /** cut at the width instead of wrapping */
  readonly oneRow?: boolean;
}) {
  const glyphs = useGlyphs();
  return (
    <Text dimColor wrap={oneRow ? 'truncate-end' : 'wrap'}>
      {helpText(items, glyphs.sep)}
    </Text>
  );
}

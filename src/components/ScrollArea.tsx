/**
 * A body taller than the screen scrolls instead of growing: the content is measured after
 * layout and shown through a clipped viewport, with a line that says how much is hidden. The
 * area has no height of its own (flexBasis 0): it takes what its siblings leave.
 */
import { Box, Text, measureElement, type DOMElement } from 'ink';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useBodySize, useGlyphs } from './context.js';
import { useScrollKeys } from './hooks/useScrollKeys.js';

export function ScrollArea({
  children,
  arrows = false,
}: {
  readonly children: ReactNode;
  /** let Up/Down scroll too (only on screens without a list or a text field) */
  readonly arrows?: boolean;
}) {
  const glyphs = useGlyphs();
  const body = useBodySize();
  const viewport = useRef<DOMElement>(null);
  const content = useRef<DOMElement>(null);
  const [metrics, setMetrics] = useState({ viewport: 0, content: 0 });
  const [offset, setOffset] = useState(0);
  // Measure after every layout (the content changes with the store); the updater returns the
  // same object when nothing moved, so this settles after one extra render.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(() => {
    if (!viewport.current || !content.current) return;
    const v = measureElement(viewport.current).height;
    const c = measureElement(content.current).height;
    setMetrics((m) => (m.viewport === v && m.content === c ? m : { viewport: v, content: c }));
  });
  const max = Math.max(0, metrics.content - metrics.viewport);
  const top = Math.min(offset, max);
  useScrollKeys({ max, page: metrics.viewport, arrows, setOffset });
  const below = max - top;
  const keys = arrows ? `${glyphs.up}/${glyphs.down}/PgUp/PgDn` : 'PgUp/PgDn';
  const where = [
    below > 0 ? `${glyphs.down} ${below} more line${below === 1 ? '' : 's'} below` : '',
    top > 0 ? `${glyphs.up} ${top} above` : '',
  ]
    .filter(Boolean)
    .join(glyphs.sep);
  // one row always (the confirmation below counts on it); the keys are in the help line too
  const withKeys = `${where} (${keys} to scroll)`;
  const hint = [...withKeys].length <= body.width ? withKeys : where;
  return (
    <Box flexDirection="column" flexGrow={1} flexShrink={1} flexBasis={0}>
      <Box
        ref={viewport}
        flexDirection="column"
        flexGrow={1}
        flexShrink={1}
        flexBasis={0}
        overflowY="hidden"
      >
        <Box ref={content} flexDirection="column" flexShrink={0} marginTop={-top}>
          {children}
        </Box>
      </Box>
      {max > 0 ? (
        <Box flexShrink={0}>
          <Text dimColor wrap="truncate-end">
            {hint}
          </Text>
        </Box>
      ) : null}
    </Box>
  );
}

/**
 * Every screen's frame: header, body, footer (notice, what Ctrl-C does, the keys). It is one
 * row shorter than the terminal, so Ink never takes the fullscreen path that clears the screen
 * on every frame (docs/terminal-notes.md §3.6); the body is clipped, so the footer always stays visible.
 */
import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { BodySizeContext, useGlyphs } from './context.js';
import { Header, type HeaderProps } from './Header.js';
import { HelpLine, helpText, type HelpItem } from './HelpLine.js';
import { isTooSmall, useTerminalSize } from './hooks/useTerminalSize.js';
import { plain } from './glyphs.js';
import { wrappedRows } from './layout.js';
import { TooSmall } from './TooSmall.js';
import { TrimmedRows } from './TrimmedRows.js';

export type CtrlCTone = 'calm' | 'caution' | 'deferred';

export interface FrameProps extends HeaderProps {
  /** what Ctrl-C does now; omitted on screens outside the wizard that say it in `help` */
  readonly ctrlC?: { readonly text: string; readonly tone: CtrlCTone } | null;
  readonly notice?: string | null;
  readonly help: readonly HelpItem[];
  readonly children: ReactNode;
}

const HEADER_ROWS = 2;
const SHORT_ROWS = 24;
const TONE_COLOR: Record<CtrlCTone, string | undefined> = {
  calm: undefined,
  caution: 'yellow',
  deferred: 'cyan',
};

export function Frame({ ctrlC, notice, help, children, ...header }: FrameProps) {
  const glyphs = useGlyphs();
  const size = useTerminalSize();
  const { columns, rows } = size;
  const width = columns - 2;
  const noticeText = notice ? plain(glyphs, notice) : null;
  const ctrlCText = ctrlC ? plain(glyphs, ctrlC.text) : null;
  // On a short terminal the keys take one row (the body needs the rest); Ctrl-C's line stays whole.
  const helpOneRow = rows < SHORT_ROWS;
  if (isTooSmall(size))
    return <TooSmall size={size} ctrlC={ctrlCText} simulated={header.simulated} />;
  const footerRows =
    (noticeText ? wrappedRows(`${glyphs.info} ${noticeText}`, width) : 0) +
    (ctrlCText ? wrappedRows(ctrlCText, width) : 0) +
    (helpOneRow ? 1 : wrappedRows(helpText(help, glyphs.sep), width));
  const height = rows - 1;
  const body = { width, height: Math.max(1, height - HEADER_ROWS - footerRows) };
  return (
    <TrimmedRows width={columns} height={height}>
      <Header {...header} />
      <Box
        flexDirection="column"
        flexGrow={1}
        flexShrink={1}
        flexBasis={0}
        overflowY="hidden"
        paddingX={1}
      >
        {/* Never shrinks: content taller than the body is clipped whole, not squeezed. */}
        <Box flexDirection="column" flexGrow={1} flexShrink={0}>
          <BodySizeContext.Provider value={body}>{children}</BodySizeContext.Provider>
        </Box>
      </Box>
      <Box flexDirection="column" flexShrink={0} paddingX={1}>
        {noticeText ? (
          <Text color="cyan">
            {glyphs.info} {noticeText}
          </Text>
        ) : null}
        {ctrlCText && ctrlC ? (
          <Text color={TONE_COLOR[ctrlC.tone]} bold={ctrlC.tone !== 'calm'}>
            {ctrlCText}
          </Text>
        ) : null}
        <HelpLine items={help} oneRow={helpOneRow} />
      </Box>
    </TrimmedRows>
  );
}

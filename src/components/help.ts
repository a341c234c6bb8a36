/** The help-line items shared by the screens. */
import type { Glyphs } from './glyphs.js';
import type { HelpItem } from './HelpLine.js';

export const QUIT: HelpItem = { keys: 'q', does: 'quit' };
export const BACK: HelpItem = { keys: 'Esc', does: 'back' };
export const CHOOSE: HelpItem = { keys: 'Enter', does: 'choose' };

export function move(glyphs: Glyphs): HelpItem {
  return { keys: `${glyphs.up}/${glyphs.down}`, does: 'move' };
}

export const SCROLL: HelpItem = { keys: 'PgUp/PgDn', does: 'scroll' };

/** On screens without a list, the arrows scroll too. */
export function scrollAll(glyphs: Glyphs): HelpItem {
  return { keys: `${glyphs.up}/${glyphs.down}/PgUp/PgDn`, does: 'scroll' };
}

/**
 * The @inkjs/ui theme for a glyph set: the progress bar's cells and the status and alert icons
 * come from the glyph table, so `TERM=dumb` gets ASCII everywhere.
 */
import { defaultTheme, extendTheme, type Theme } from '@inkjs/ui';
import figures from 'figures';
import type { Glyphs } from './glyphs.js';

type Variant = 'success' | 'error' | 'warning' | 'info';

const ALERT_COLOR: Readonly<Record<Variant, string>> = {
  info: 'blue',
  success: 'green',
  error: 'red',
  warning: 'yellow',
};

export function themeFor(glyphs: Glyphs): Theme {
  const icon = (variant: Variant): string =>
    ({ success: glyphs.pass, error: glyphs.fail, warning: glyphs.warn, info: glyphs.info })[
      variant
    ];
  return extendTheme(defaultTheme, {
    components: {
      ProgressBar: {
        config: () => ({ completedCharacter: glyphs.barDone, remainingCharacter: glyphs.barTodo }),
      },
      StatusMessage: { config: ({ variant }: { variant: Variant }) => ({ icon: icon(variant) }) },
      Alert: {
        config: ({ variant }: { variant: Variant }) => ({ icon: icon(variant) }),
        // the default's round corners are Unicode; the rest is @inkjs/ui's own container style
        styles: {
          container: ({ variant }: { variant: Variant }) => ({
            flexGrow: 1,
            borderStyle: glyphs.ascii ? 'classic' : 'round',
            borderColor: ALERT_COLOR[variant],
            gap: 1,
            paddingX: 1,
          }),
        },
      },
    },
  });
}

/**
 * @inkjs/ui's Select draws `figures.pointer` and `figures.tick` directly (no theme hook), and
 * `figures` keeps Unicode on `TERM=dumb`. For an ASCII run, point those two symbols at ASCII
 * once, before the first render. Process-wide on purpose: the glyph choice is too.
 */
export function adoptAsciiFigures(glyphs: Glyphs): void {
  if (!glyphs.ascii) return;
  Object.assign(figures, { pointer: glyphs.pointer, tick: glyphs.tick });
}

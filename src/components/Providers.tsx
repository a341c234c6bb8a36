/** Store, actions, glyphs and the @inkjs/ui theme for everything below. */
import { ThemeProvider } from '@inkjs/ui';
import { useMemo, type ReactNode } from 'react';
import type { WizardActions } from '../flash/actions.js';
import type { FlashStore } from '../store.js';
import { ActionsContext, GlyphsContext, StoreContext } from './context.js';
import { UNICODE_GLYPHS, type Glyphs } from './glyphs.js';
import { themeFor } from './theme.js';

export function Providers({
  store = null,
  actions = null,
  glyphs = UNICODE_GLYPHS,
  children,
}: {
  readonly store?: FlashStore | null;
  readonly actions?: WizardActions | null;
  readonly glyphs?: Glyphs;
  readonly children: ReactNode;
}) {
  const theme = useMemo(() => themeFor(glyphs), [glyphs]);
  return (
    <GlyphsContext.Provider value={glyphs}>
      <ThemeProvider theme={theme}>
        <StoreContext.Provider value={store}>
          <ActionsContext.Provider value={actions}>{children}</ActionsContext.Provider>
        </StoreContext.Provider>
      </ThemeProvider>
    </GlyphsContext.Provider>
  );
}

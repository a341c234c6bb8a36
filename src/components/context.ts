/**
 * What every screen reads from: the store (by selector), the wizard's actions, the glyph set and
 * the size of the frame's body. Provided once by `<Providers>`.
 */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { WizardActions } from '../flash/actions.js';
import { shownDeep } from '../report/shown-event.js';
import type { FlashState, FlashStore } from '../store.js';
import { UNICODE_GLYPHS, type Glyphs } from './glyphs.js';

export const StoreContext = createContext<FlashStore | null>(null);
export const ActionsContext = createContext<WizardActions | null>(null);
export const GlyphsContext = createContext<Glyphs>(UNICODE_GLYPHS);

export interface BodySize {
  /** columns inside the frame's padding */
  readonly width: number;
  /** rows the body may use without pushing the footer off the screen */
  readonly height: number;
}

export const BodySizeContext = createContext<BodySize>({ width: 78, height: 18 });

/**
 * Select from the flash store; select primitives, or wrap object selectors in `useShallow`.
 * What comes back is made safe to show (shownDeep): names, paths and messages from outside
 * arrive with their control characters escaped, whatever the screen does with them.
 */
export function useFlash<T>(selector: (state: FlashState) => T): T {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useFlash needs <Providers store>');
  return useStore(store, (state) => shownDeep(selector(state)));
}

export function useActions(): WizardActions {
  const actions = useContext(ActionsContext);
  if (!actions) throw new Error('useActions needs <Providers actions>');
  return actions;
}

export function useGlyphs(): Glyphs {
  return useContext(GlyphsContext);
}

export function useBodySize(): BodySize {
  return useContext(BodySizeContext);
}

import figures from 'figures';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ASCII_GLYPHS,
  chooseGlyphs,
  plain,
  UNICODE_GLYPHS,
  type Glyphs,
} from '../../src/components/glyphs.js';
import { adoptAsciiFigures } from '../../src/components/theme.js';

const strings = (g: Glyphs): string[] =>
  Object.values(g).flatMap((v) =>
    typeof v === 'string' ? [v] : typeof v === 'object' ? Object.values(v as object) : [],
  );

describe('glyph table', () => {
  it('chooses ASCII once from TERM: dumb and the Linux console', () => {
    expect(chooseGlyphs({ TERM: 'dumb' })).toBe(ASCII_GLYPHS);
    expect(chooseGlyphs({ TERM: 'linux' })).toBe(ASCII_GLYPHS);
    expect(chooseGlyphs({ TERM: 'xterm-256color' })).toBe(UNICODE_GLYPHS);
    expect(chooseGlyphs({})).toBe(UNICODE_GLYPHS);
  });

  it('has only printable ASCII in the ASCII variant', () => {
    for (const s of strings(ASCII_GLYPHS)) expect(s).toMatch(/^[\x20-\x7e]+$/);
  });

  it('gives every chunk state its own glyph in both variants (no colour needed)', () => {
    for (const g of [ASCII_GLYPHS, UNICODE_GLYPHS]) {
      const cells = Object.values(g.cell);
      expect(new Set(cells).size).toBe(cells.length);
      expect(new Set([g.pass, g.warn, g.fail, g.info]).size).toBe(4);
    }
  });

  it('makes engine text and formatter dashes ASCII only in the ASCII variant', () => {
    const text = '– MB/s · ETA –:–– → done…';
    expect(plain(ASCII_GLYPHS, text)).toBe('- MB/s | ETA -:-- -> done...');
    expect(plain(UNICODE_GLYPHS, text)).toBe(text);
  });
});

describe('adoptAsciiFigures', () => {
  const saved = { pointer: figures.pointer, tick: figures.tick };
  afterEach(() => Object.assign(figures, saved));

  it("points Select's pointer and tick at ASCII for an ASCII run, and leaves Unicode alone", () => {
    adoptAsciiFigures(UNICODE_GLYPHS);
    expect(figures.pointer).toBe(saved.pointer);
    adoptAsciiFigures(ASCII_GLYPHS);
    expect(figures.pointer).toBe('>');
    expect(figures.tick).toBe('*');
  });
});

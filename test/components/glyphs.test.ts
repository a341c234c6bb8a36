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

  it('chooses ASCII in a locale without UTF-8, as LC_ALL, LC_CTYPE and LANG decide in turn', () => {
    const xterm = { TERM: 'xterm-256color' };
    expect(chooseGlyphs({ ...xterm, LANG: 'C' })).toBe(ASCII_GLYPHS);
    expect(chooseGlyphs({ ...xterm, LC_ALL: 'C' })).toBe(ASCII_GLYPHS);
    expect(chooseGlyphs({ ...xterm, LANG: 'POSIX' })).toBe(ASCII_GLYPHS);
    expect(chooseGlyphs({ ...xterm, LANG: 'de_DE.ISO-8859-1' })).toBe(ASCII_GLYPHS);
    expect(chooseGlyphs({ ...xterm, LANG: 'en_US.UTF-8' })).toBe(UNICODE_GLYPHS);
    expect(chooseGlyphs({ ...xterm, LANG: 'en_US.utf8' })).toBe(UNICODE_GLYPHS);
    expect(chooseGlyphs({ ...xterm, LANG: 'C.UTF-8' })).toBe(UNICODE_GLYPHS);
    // LC_ALL wins over LANG, LC_CTYPE over LANG; an empty one does not count
    expect(chooseGlyphs({ ...xterm, LANG: 'en_US.UTF-8', LC_ALL: 'C' })).toBe(ASCII_GLYPHS);
    expect(chooseGlyphs({ ...xterm, LANG: 'C', LC_ALL: 'en_US.UTF-8' })).toBe(UNICODE_GLYPHS);
    expect(chooseGlyphs({ ...xterm, LANG: 'C', LC_CTYPE: 'en_US.UTF-8' })).toBe(UNICODE_GLYPHS);
    expect(chooseGlyphs({ ...xterm, LANG: 'en_US.UTF-8', LC_CTYPE: 'C' })).toBe(ASCII_GLYPHS);
    expect(chooseGlyphs({ ...xterm, LANG: 'en_US.UTF-8', LC_ALL: '' })).toBe(UNICODE_GLYPHS);
    // no locale variable at all: the terminal decides (most set none in containers)
    expect(chooseGlyphs(xterm)).toBe(UNICODE_GLYPHS);
  });

  it("draws the chunk map's pending cells with a glyph that is not the separator", () => {
    for (const g of [ASCII_GLYPHS, UNICODE_GLYPHS]) expect(g.sep).not.toContain(g.cell.pending);
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

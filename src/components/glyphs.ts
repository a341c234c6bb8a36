/**
 * Every symbol the screens draw, in one table with a Unicode and an ASCII variant. The variant is
 * chosen once from the environment (`chooseGlyphs`) and passed down by context, so no component
 * decides on its own. Meaning never rests on colour alone: each state has its own glyph and word.
 */

/** A cell of the chunk map; `partial` only appears when one cell stands for several calls. */
export type CellState = 'pending' | 'inFlight' | 'done' | 'failed' | 'partial';

export interface Glyphs {
  readonly ascii: boolean;
  readonly cell: Readonly<Record<CellState, string>>;
  readonly pass: string;
  readonly warn: string;
  readonly fail: string;
  readonly info: string;
  readonly bullet: string;
  readonly arrow: string;
  readonly pointer: string;
  readonly tick: string;
  /** between items on one line */
  readonly sep: string;
  readonly up: string;
  readonly down: string;
  readonly barDone: string;
  readonly barTodo: string;
  /** a cli-spinners name */
  readonly spinner: 'dots' | 'line';
}

export const UNICODE_GLYPHS: Glyphs = {
  ascii: false,
  // pending is not the `sep` dot, so a row of pending cells never reads as separators
  cell: { pending: '░', inFlight: '▶', done: '█', failed: '✗', partial: '▌' },
  pass: '✔',
  warn: '⚠',
  fail: '✖',
  info: 'ℹ',
  bullet: '•',
  arrow: '→',
  pointer: '❯',
  tick: '✔',
  sep: ' · ',
  up: '↑',
  down: '↓',
  barDone: '█',
  barTodo: '░',
  spinner: 'dots',
};

export const ASCII_GLYPHS: Glyphs = {
  ascii: true,
  cell: { pending: '.', inFlight: '>', done: '#', failed: 'X', partial: ':' },
  pass: '[ok]',
  warn: '[!]',
  fail: '[X]',
  info: '[i]',
  bullet: '-',
  arrow: '->',
  pointer: '>',
  tick: '*',
  sep: ' | ',
  up: 'Up',
  down: 'Down',
  barDone: '#',
  barTodo: '-',
  spinner: 'line',
};

/**
 * The locale that decides the character set, as setlocale(3) reads it: LC_ALL, then LC_CTYPE,
 * then LANG (an empty variable does not count). Null when none is set.
 */
export function ctypeLocale(env: NodeJS.ProcessEnv): string | null {
  for (const name of ['LC_ALL', 'LC_CTYPE', 'LANG']) {
    const value = env[name];
    if (value) return value;
  }
  return null;
}

/** A locale whose character set is not UTF-8: `C`, `POSIX`, `de_DE.ISO-8859-1`. */
function lacksUtf8(locale: string | null): boolean {
  return locale !== null && !/utf-?8/i.test(locale);
}

/**
 * ASCII on terminals that cannot draw Unicode: `TERM=dumb`, the Linux kernel console
 * (`TERM=linux`, the one terminal `figures` also treats as ASCII-only), and any terminal under a
 * locale without UTF-8 (`LANG=C`), where the bytes of a Unicode glyph print as junk.
 */
export function chooseGlyphs(env: NodeJS.ProcessEnv = process.env): Glyphs {
  if (env.TERM === 'dumb' || env.TERM === 'linux') return ASCII_GLYPHS;
  return lacksUtf8(ctypeLocale(env)) ? ASCII_GLYPHS : UNICODE_GLYPHS;
}

const ASCII_REPLACEMENTS: readonly (readonly [RegExp, string])[] = [
  [/[–—]/g, '-'],
  [/…/g, '...'],
  [/·/g, '|'],
  [/→/g, '->'],
  [/[‘’]/g, "'"],
  [/[“”]/g, '"'],
  [/§/g, 'section '],
];

/** Text from elsewhere (formatters, engine messages) made safe for the chosen glyph set. */
export function plain(glyphs: Glyphs, text: string): string {
  if (!glyphs.ascii) return text;
  let out = text;
  for (const [pattern, replacement] of ASCII_REPLACEMENTS) out = out.replace(pattern, replacement);
  return out;
}

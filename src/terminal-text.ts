/**
 * The one place where a string from outside (a file name, a journal field, a device-tree or
 * sysfs value, a kernel log line, a lock holder's details, an attach event, a `--card`) is
 * made safe for a terminal. A control character in it could retitle the window, move the
 * cursor, hide text, or forge a line such as `success (exit 0): …`; a bidi override could
 * make `gnp.exe` read as `exe.png`.
 *
 * `shown(name)` leaves an ordinary name exactly as it is, and quotes one that holds any such
 * character the way `ls` and bash do, `$'…'`, with each character written visibly (`\e`,
 * `\n`, `\x01`, `\u202e`): what is printed can be pasted back into bash to name the same file.
 * Unsafe: C0 (U+0000-U+001F, TAB, CR and LF included), DEL, C1 (U+0080-U+009F), the bidi
 * marks, embeddings, overrides and isolates (U+061C, U+200E, U+200F, U+202A-U+202E,
 * U+2066-U+2069) and the line and paragraph separators U+2028, U+2029.
 *
 * `--json` output never goes through here: JSON.stringify escapes control characters itself
 * and the values must stay exact.
 */

// Matching control characters is the point of these patterns.
/* eslint-disable no-control-regex */
/** Any one character that must not reach a terminal as it is. */
export const UNSAFE_FOR_TERMINAL =
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
const UNSAFE_GLOBAL = new RegExp(UNSAFE_FOR_TERMINAL.source, 'gu');
/** An unsafe character other than the newline (for text whose newlines the program wrote). */
const UNSAFE_BUT_NEWLINE =
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;
/* eslint-enable no-control-regex */

const NAMED: Readonly<Record<string, string>> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\t': '\\t',
  '\n': '\\n',
  '\v': '\\v',
  '\f': '\\f',
  '\r': '\\r',
  '\x1b': '\\e',
};

/** One unsafe character as bash's `$'…'` writes it. */
function escapeOne(ch: string): string {
  const named = NAMED[ch];
  if (named) return named;
  const code = ch.codePointAt(0) ?? 0;
  // \xHH only for C0: bash reads \x9b as the byte 0x9b, not the character U+009B. DEL and
  // above as \uXXXX, which bash and JSON both read back as the same character.
  return code < 0x20
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * An outside string as it may be shown: unchanged when it is safe, else `$'…'` with every
 * unsafe character, the backslash and the single quote escaped. Never contains a newline.
 */
export function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value);
  if (!UNSAFE_FOR_TERMINAL.test(text)) return text;
  const body = text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(UNSAFE_GLOBAL, escapeOne);
  return `$'${body}'`;
}

/**
 * Program text that may carry an outside string not passed through `shown`: keeps the
 * newlines the program wrote, escapes every other unsafe character in place. A net for whole
 * lines on their way out, not a substitute for `shown` (it cannot tell a newline of ours
 * from one in a name).
 */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE_BUT_NEWLINE, escapeOne);
}

/** How much of an outside input an error message quotes before it says how much is left. */
export const QUOTE_CAP = 200;

/**
 * Input quoted in a message: `"…"`, escaped like `shown`, cut at `cap` characters with the
 * count of the rest, so a 1 MiB garbage file makes a message of one line, not of 19 MB.
 */
export function quoteInput(value: string, cap = QUOTE_CAP): string {
  let head = value.length <= cap ? value : value.slice(0, cap);
  // never half of a surrogate pair
  if (head.length < value.length && /[\ud800-\udbff]$/.test(head)) head = head.slice(0, -1);
  const rest = value.length - head.length;
  const body = head.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(UNSAFE_GLOBAL, escapeOne);
  return rest > 0 ? `"${body}"… (${rest.toLocaleString('en-US')} more characters)` : `"${body}"`;
}

/** The first `max` items joined, then how many more: a list from input stays one short line. */
export function cappedList(items: readonly string[], max = 3, separator = '; '): string {
  if (items.length <= max) return items.join(separator);
  const rest = items.length - max;
  return `${items.slice(0, max).join(separator)}${separator}and ${rest.toLocaleString('en-US')} more`;
}

/**
 * What a typed or pasted image path means (pure): surrounding quotes from a paste or a shell habit
 * go, `~` is the home folder, and the files found are matched and completed against that.
 */

/** `'...'` or `"..."` around the whole text (a pasted path with spaces comes like that). */
const QUOTED = /^(['"])(.*)\1$/s;

export function meantPath(typed: string, home: string): string {
  let path = typed.trim();
  const quoted = QUOTED.exec(path);
  if (quoted) path = quoted[2] ?? '';
  else if (/^['"]/.test(path)) path = path.slice(1); // still typing: the closing quote is to come
  if (path === '~') return home;
  if (path.startsWith('~/')) return `${home}${path.slice(1)}`;
  return path;
}

/** The longest start every one of `items` shares. */
export function sharedStart(items: readonly string[]): string {
  const [first, ...rest] = items;
  if (first === undefined) return '';
  let end = first.length;
  for (const item of rest) {
    let i = 0;
    while (i < end && i < item.length && item[i] === first[i]) i++;
    end = i;
  }
  return first.slice(0, end);
}

/**
 * What Tab puts in the field: the file chosen with the arrows, else what the matching files
 * share when that is longer than what was typed, else nothing (null).
 */
export function tabCompletion(
  meant: string,
  matching: readonly string[],
  chosen: string | null,
): string | null {
  if (chosen !== null) return chosen;
  const shared = sharedStart(matching);
  return shared.length > meant.length ? shared : null;
}

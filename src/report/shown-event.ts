/**
 * An event from a socket, made safe to show: every string in it through `shown`, so a name or
 * message another process wrote can neither retitle the terminal nor forge a line, in the plain
 * observer and in its screens. `attach --json` prints the events unchanged instead.
 */
import { shown } from '../terminal-text.js';

export function shownEvent<T>(value: T): T {
  if (typeof value === 'string') return shown(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => shownEvent(v)) as T;
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(
      Object.entries(value).map(([key, v]) => [key, shownEvent(v as unknown)]),
    ) as T;
  return value;
}

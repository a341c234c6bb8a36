/**
 * Data from outside, made safe to show: every string in it through `shown`, so a name or
 * message another process or file supplied can neither retitle the terminal nor forge a line.
 * Used for the events an `attach` observer prints and for everything the screens read (the
 * store through `useFlash`, the attempts, snapshot and verdict they are given). The original
 * stays untouched for logic and `--json`; a safe string comes back as the same string.
 *
 * Objects and arrays are mapped once and remembered by identity, so a screen selecting the
 * same state object twice gets the same shown object (React and zustand compare by identity).
 */
import { shown } from '../terminal-text.js';

const cache = new WeakMap<object, unknown>();

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

export function shownDeep<T>(value: T): T {
  if (typeof value === 'string') return shown(value) as T;
  if (typeof value !== 'object' || value === null) return value;
  if (!Array.isArray(value) && !isPlainObject(value)) return value;
  const known = cache.get(value);
  if (known !== undefined) return known as T;
  const mapped = Array.isArray(value)
    ? value.map((v: unknown) => shownDeep(v))
    : Object.fromEntries(Object.entries(value).map(([key, v]) => [key, shownDeep(v as unknown)]));
  // nothing to escape: keep the original object, so identity is unchanged for safe data
  const same = Array.isArray(value)
    ? (mapped as unknown[]).every((v, i) => v === (value as unknown[])[i])
    : Object.entries(value).every(([key, v]) => (mapped as Record<string, unknown>)[key] === v);
  const result = same ? value : mapped;
  cache.set(value, result);
  return result as T;
}

/** The attach observer's name for it: one event from a socket. */
export const shownEvent = shownDeep;

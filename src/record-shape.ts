/**
 * A small checker for the shape of a JSON record read from outside the process (a journal
 * line, model.json, an attach event): each shape says what it wants, and `problemWith` returns
 * the first place where the value differs, in words (`image.sha256: a string, not 42`), or null.
 * Hand-written on purpose: a dozen lines instead of a schema compiler at run time.
 */
import { quoteInput } from './terminal-text.js';

/** Checks one value; returns what is wrong at `path`, or null. */
export type Shape = (value: unknown, path: string) => string | null;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (value === undefined) return 'missing';
  return typeof value === 'string' ? quoteInput(value, 40) : String(value);
}

/** A key from outside, as part of a path that may be printed. */
const keyPath = (path: string, key: string): string =>
  /^[\w-]+$/.test(key) ? `${path}.${key}` : `${path}[${quoteInput(key, 40)}]`;

const at = (path: string, want: string, value: unknown): string =>
  `${path || 'the record'}: ${want}, not ${describe(value)}`;

const typed =
  (type: 'string' | 'boolean', want: string): Shape =>
  (v, p) =>
    typeof v === type ? null : at(p, want, v);

export const str: Shape = typed('string', 'a string');
export const bool: Shape = typed('boolean', 'true or false');
export const num: Shape = (v, p) =>
  typeof v === 'number' && Number.isFinite(v) ? null : at(p, 'a number', v);
export const int: Shape = (v, p) =>
  typeof v === 'number' && Number.isSafeInteger(v) ? null : at(p, 'a whole number', v);

export const nullable =
  (shape: Shape): Shape =>
  (v, p) =>
    v === null ? null : shape(v, p);

/** Absent (or undefined) is fine; present must match. */
export const optional =
  (shape: Shape): Shape =>
  (v, p) =>
    v === undefined ? null : shape(v, p);

export const oneOf =
  (...values: readonly (string | number)[]): Shape =>
  (v, p) =>
    values.includes(v as string) ? null : at(p, `one of ${values.join(', ')}`, v);

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** An object with at least these fields (fields not named are allowed: newer writers). */
export const obj =
  (fields: Readonly<Record<string, Shape>>): Shape =>
  (v, p) => {
    if (!isObject(v)) return at(p, 'an object', v);
    for (const [key, shape] of Object.entries(fields)) {
      const problem = shape(v[key], p ? `${p}.${key}` : key);
      if (problem) return problem;
    }
    return null;
  };

/** An object whose every value matches (a map of names to values). */
export const recordOf =
  (shape: Shape): Shape =>
  (v, p) => {
    if (!isObject(v)) return at(p, 'an object', v);
    for (const [key, value] of Object.entries(v)) {
      const problem = shape(value, keyPath(p, key));
      if (problem) return problem;
    }
    return null;
  };

export const arrayOf =
  (shape: Shape): Shape =>
  (v, p) => {
    if (!Array.isArray(v)) return at(p, 'an array', v);
    for (let i = 0; i < v.length; i++) {
      const problem = shape(v[i], `${p}[${i}]`);
      if (problem) return problem;
    }
    return null;
  };

/** What is wrong with `value`, or null when it has the shape. */
export function problemWith(value: unknown, shape: Shape): string | null {
  return shape(value, '');
}

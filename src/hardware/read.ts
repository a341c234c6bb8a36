/**
 * File reads that never throw: sysfs, procfs and device-tree files may be missing or unreadable,
 * and discovery reports that as such (issue: "reported as such, never thrown").
 */
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

export type ReadResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: 'missing' | 'unreadable'; readonly detail: string };

function failure<T>(error: unknown): ReadResult<T> {
  const code = (error as NodeJS.ErrnoException).code;
  const detail = error instanceof Error ? error.message : String(error);
  return {
    ok: false,
    reason: code === 'ENOENT' || code === 'ENOTDIR' ? 'missing' : 'unreadable',
    detail,
  };
}

export function readBytes(path: string): ReadResult<Buffer> {
  try {
    return { ok: true, value: readFileSync(path) };
  } catch (error) {
    return failure(error);
  }
}

/** A sysfs text attribute without its trailing newline. */
export function readText(path: string): ReadResult<string> {
  const r = readBytes(path);
  return r.ok ? { ok: true, value: r.value.toString('utf8').replace(/\n$/, '') } : r;
}

export function listDir(path: string): ReadResult<string[]> {
  try {
    return { ok: true, value: readdirSync(path).sort() };
  } catch (error) {
    return failure(error);
  }
}

export function readLink(path: string): ReadResult<string> {
  try {
    return { ok: true, value: readlinkSync(path) };
  } catch (error) {
    return failure(error);
  }
}

export function valueOr<T>(r: ReadResult<T>, fallback: T): T {
  return r.ok ? r.value : fallback;
}

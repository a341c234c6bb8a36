/** How serious the time since the last return is, against the hypervisor's 3-second limit. */
import {
  GAP_CRITICAL_MS,
  GAP_WARNING_MS,
  HYPERVISOR_GAP_LIMIT_MS,
  LONG_BUSY_NOTICE_MS,
} from '../flash/call-timer.js';

export type GapLevel = 'normal' | 'warning' | 'critical';

export function gapLevel(gapMs: number): GapLevel {
  if (gapMs >= GAP_CRITICAL_MS) return 'critical';
  if (gapMs >= GAP_WARNING_MS) return 'warning';
  return 'normal';
}

export function isLongBusy(inFlightMs: number | null): boolean {
  return inFlightMs !== null && inFlightMs >= LONG_BUSY_NOTICE_MS;
}

/** A text gauge of the gap against the limit, `width` cells wide. */
export function gapGauge(gapMs: number, width: number, done: string, todo: string): string {
  const filled = Math.min(width, Math.round((gapMs / HYPERVISOR_GAP_LIMIT_MS) * width));
  return done.repeat(filled) + todo.repeat(width - filled);
}

export const LIMIT_TEXT = `${HYPERVISOR_GAP_LIMIT_MS / 1000} s`;

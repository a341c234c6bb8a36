/**
 * The flash running right now, for `status`: the lock says who holds it and its attempt; the
 * journal's records of that attempt say how far it is (the engine checkpoints progress about
 * once a second), so the phase, percentage and rate need no connection to the flasher. During
 * the reload the card is gone from sysfs until the kernel has probed it again: say so.
 */
import type { LockHolder } from '../journal/lock.js';
import type { JournalRecord, ProgressRecord, StartRecord } from '../journal/records.js';

export interface RunningFlash {
  readonly attemptId: string;
  readonly pid: number;
  readonly card: string | null;
  readonly locationCode: string | null;
  readonly imagePath: string | null;
  /** the journal's phase: preflight, open, download, validate, reload */
  readonly phase: string;
  /** when this phase began */
  readonly phaseSince: string | null;
  readonly call: number | null;
  readonly calls: number | null;
  readonly bytes: number | null;
  readonly totalBytes: number | null;
  readonly percent: number | null;
  /** payload bytes per second over this pass so far; null outside a pass or before a checkpoint */
  readonly rateBytesPerSec: number | null;
  /** the reload: the card is not visible while the kernel re-probes it */
  readonly reprobing: boolean;
}

const PASSES = new Set(['download', 'validate']);

export function runningFlash(
  records: readonly JournalRecord[],
  holder: LockHolder | null,
  visibleCards: readonly { name: string; locationCode: string | null }[],
): RunningFlash | null {
  if (!holder?.attemptId) return null;
  const id = holder.attemptId;
  const mine = records.filter((r) => r.id === id);
  const start = mine.find((r): r is StartRecord => r.type === 'start');
  const progress = mine.filter((r): r is ProgressRecord => r.type === 'progress');
  const last = progress[progress.length - 1];
  const phase = last?.phase ?? holder.phase;
  const ofPhase = progress.filter((r) => r.phase === phase);
  const first = ofPhase[0];
  const inPass = PASSES.has(phase) && last !== undefined;
  const totalBytes = start?.image.size ?? null;
  let rate: number | null = null;
  if (inPass && first && last && last.bytes > 0) {
    const seconds = (Date.parse(last.time) - Date.parse(first.time)) / 1000;
    if (seconds > 0) rate = last.bytes / seconds;
  }
  const locationCode = start?.card.locationCode ?? null;
  const card = start?.card.name ?? holder.card;
  const visible = visibleCards.some((c) =>
    locationCode ? c.locationCode === locationCode : c.name === card,
  );
  return {
    attemptId: id,
    pid: holder.pid,
    card,
    locationCode,
    imagePath: start?.image.path ?? null,
    phase,
    phaseSince: first?.time ?? null,
    call: inPass ? last.call : null,
    calls: inPass ? last.calls : null,
    bytes: inPass ? last.bytes : null,
    totalBytes,
    percent:
      inPass && totalBytes ? Math.min(100, Math.floor((last.bytes / totalBytes) * 100)) : null,
    rateBytesPerSec: rate,
    reprobing: phase === 'reload' && !visible,
  };
}

/** One line about it, for plain `status`. */
export function runningFlashLine(
  f: RunningFlash,
  formatRate: (r: number | null) => string,
): string {
  const where = `${f.card ?? 'the card'}${f.locationCode ? ` at ${f.locationCode}` : ''}`;
  const since = f.phaseSince ? ` since ${f.phaseSince}` : '';
  if (f.reprobing)
    return `  reload: the kernel is re-probing ${where}${since}; it is not visible until the probe ends`;
  if (f.phase === 'reload')
    return `  reload: ${where} is back; the flasher is verifying it${since}`;
  if (f.percent === null) return `  ${f.phase}${since}`;
  return `  ${f.phase} ${f.percent}% (call ${f.call}/${f.calls}) at ${formatRate(f.rateBytesPerSec)}${since}`;
}

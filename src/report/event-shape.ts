/**
 * The shape of each event an `attach` observer reads from a flash's socket (events.ts,
 * docs/events.md): checked before the event is printed or put in the store, because the socket
 * is outside the process and a line that is not what it claims (a `result` without
 * `durationsMs`, an unknown `event`) must be skipped, never crash the observer.
 */
import {
  arrayOf,
  bool,
  int,
  nullable,
  num,
  obj,
  oneOf,
  optional,
  problemWith,
  recordOf,
  str,
  type Shape,
} from '../record-shape.js';

const nullableNum = nullable(num);
const person = obj({ pid: num, command: str, user: str });
const card: Shape = obj({
  name: str,
  locationCode: nullable(str),
  vendorId: nullableNum,
  deviceId: nullableNum,
  subsystemVendorId: nullableNum,
  subsystemId: nullableNum,
  pslRevision: nullableNum,
  caiaVersion: nullable(str),
  afus: arrayOf(obj({ name: str, mode: nullable(str), users: arrayOf(person) })),
  holders: arrayOf(person),
  lastFlash: nullable(
    obj({
      time: str,
      outcome: str,
      journalId: str,
      inProgress: optional(obj({ pid: num, phase: str })),
    }),
  ),
});
const phase = oneOf(
  'starting',
  'recovery',
  'selectAdapter',
  'selectImage',
  'loadingImage',
  'review',
  'opening',
  'download',
  'validate',
  'reload',
  'summary',
);

const EVENT_SHAPES: Readonly<Record<string, Shape>> = {
  start: obj({
    schema: num,
    tool: obj({ name: str, version: str }),
    command: str,
    simulated: bool,
    pid: num,
  }),
  phase: obj({
    phase,
    ctrlC: obj({ action: oneOf('quit', 'confirm-abort', 'deferred', 'exit'), description: str }),
  }),
  adapters: obj({ cards: arrayOf(card) }),
  adapter: obj({ card }),
  image: obj({ path: str, size: num, sha256: str, format: str, callsPerPass: num }),
  hashing: obj({ bytes: num, totalBytes: num }),
  preflight: obj({
    checks: arrayOf(
      obj({
        id: str,
        label: str,
        status: oneOf('pass', 'warn', 'fail'),
        message: str,
        fix: optional(str),
      }),
    ),
  }),
  progress: obj({
    phase: oneOf('download', 'validate'),
    call: num,
    calls: num,
    bytes: num,
    totalBytes: num,
    rateBytesPerSec: nullableNum,
    etaSec: nullableNum,
    gapSinceReturnMs: nullableNum,
    inFlightMs: nullableNum,
    largestGapMs: num,
    elapsedMs: num,
    chunks: str,
  }),
  reload: obj({
    state: oneOf('closing', 'waiting-for-disappearance', 'waiting-for-return', 'verifying'),
    elapsedMs: num,
    deadlineMs: num,
    message: str,
  }),
  warning: obj({ code: str, message: str }),
  error: obj({
    phase,
    call: nullableNum,
    errno: nullableNum,
    errnoName: nullable(str),
    meaning: str,
    action: str,
    hcall: nullable(obj({ rc: num, name: str, meaning: str })),
    adapterState: str,
  }),
  result: obj({
    outcome: oneOf(
      'success',
      'failed',
      'aborted',
      'rejected',
      'lost',
      'refused',
      'bad-input',
      'nothing-to-do',
      'checked',
      'same-image',
    ),
    exitCode: int,
    journalId: nullable(str),
    message: str,
    nextStep: str,
    durationsMs: recordOf(num),
    largestGapMs: nullableNum,
    gapP99Ms: optional(nullableNum),
    before: nullable(card),
    after: nullable(card),
  }),
};

/** What is wrong with an event read from a socket, or null when it can be used. */
export function eventProblem(value: unknown): string | null {
  const head = problemWith(value, obj({ event: oneOf(...Object.keys(EVENT_SHAPES)), time: str }));
  if (head) return head;
  const shape = EVENT_SHAPES[(value as { event: string }).event] as Shape;
  return problemWith(value, shape);
}

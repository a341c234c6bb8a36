/**
 * The shape each journal record must have to be used (records.ts): checked on every line read,
 * because the journal is a file and a file can hold anything. A line that does not match is
 * skipped and named (journal.ts), so no command ever meets a start record without a card.
 * Fields added after 0.1.0's first release are optional, so older journals still read.
 */
import {
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
import { TERMINAL_OUTCOMES, type JournalRecord } from './records.js';

const PHASES = ['preflight', 'open', 'download', 'validate', 'reload'] as const;
const phase = oneOf(...PHASES);
const nullableNum = nullable(num);

const cardIdentity = obj({
  name: str,
  locationCode: nullable(str),
  vendorId: nullableNum,
  deviceId: nullableNum,
  subsystemVendorId: nullableNum,
  subsystemId: nullableNum,
  pslRevision: nullableNum,
});

const startRecord: Shape = obj({
  id: str,
  time: str,
  pid: int,
  user: str,
  host: str,
  sshClient: optional(nullable(str)),
  tty: optional(nullable(str)),
  toolVersion: str,
  simulated: bool,
  card: cardIdentity,
  image: obj({ path: str, size: num, sha256: str, payloadOffset: optional(num) }),
  callsPerPass: num,
});

const progressRecord: Shape = obj({
  id: str,
  time: str,
  phase,
  call: num,
  calls: num,
  bytes: num,
  largestGapMs: num,
});

const terminalRecord: Shape = obj({
  id: str,
  time: str,
  phase,
  call: nullableNum,
  errno: nullableNum,
  errnoName: nullable(str),
  hcall: nullable(obj({ rc: num, name: str })),
  largestGapMs: num,
  gapP99Ms: optional(nullableNum),
  exitCode: int,
  message: str,
  after: optional(nullable(cardIdentity)),
  durationsMs: optional(recordOf(num)),
});

const recordType = oneOf('start', 'progress', ...TERMINAL_OUTCOMES);

/** What is wrong with a parsed journal line, or null when it is a record we can use. */
export function recordProblem(value: unknown): string | null {
  const typeProblem = problemWith(value, obj({ type: recordType, id: str }));
  if (typeProblem) return typeProblem;
  const { type } = value as { type: string };
  const shape =
    type === 'start' ? startRecord : type === 'progress' ? progressRecord : terminalRecord;
  return problemWith(value, shape);
}

export function isJournalRecord(value: unknown): value is JournalRecord {
  return recordProblem(value) === null;
}

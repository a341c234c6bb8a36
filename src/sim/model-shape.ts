/**
 * The shape model.json must have (model.ts `SimModel`): checked when the simulator reads it, so
 * a file edited by hand, truncated by a full disk or written by another version is named as
 * such instead of failing later as a TypeError. Unknown extra fields are allowed.
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
} from '../record-shape.js';

const gapStats = obj({ calls: num, largestMs: num, p99Ms: nullable(num) });

const MODEL_SHAPE = obj({
  version: oneOf(1),
  bootTimeMs: num,
  adapter: obj({
    unitAddress: int,
    vendorId: int,
    deviceId: int,
    subsystemVendorId: int,
    subsystemId: int,
    revisionId: int,
    locationCode: str,
    caiaVersion: int,
    afuCount: int,
  }),
  card: obj({ number: int, present: bool }),
  pslRevision: int,
  factoryPslRevision: int,
  image: obj({
    state: oneOf('valid', 'erased', 'partial', 'downloaded'),
    sha256: nullable(str),
    origin: oneOf('factory', 'flashed'),
  }),
  knownImages: recordOf(int),
  holder: nullable(obj({ pid: int, cardNumber: int, transfer: bool })),
  phantoms: obj({ afuUser: nullable(int), cardHolder: nullable(int) }),
  lastEvent: str,
  hypervisorGaps: optional(obj({ download: optional(gapStats), validate: optional(gapStats) })),
});

/** What is wrong with a parsed model.json, or null when the simulator can use it. */
export function modelProblem(value: unknown): string | null {
  return problemWith(value, MODEL_SHAPE);
}

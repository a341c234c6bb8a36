/**
 * Device-tree properties of the adapter node (docs/kernel-contract.md §5): binary files, each a 4-byte
 * big-endian cell or a NUL-terminated string. Reads never throw.
 */
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { readBytes, type ReadResult } from './read.js';
import type { SystemRoot } from './system-root.js';
import type { AdapterNode, DtProperty } from './types.js';

function malformed<T>(path: string, what: string): DtProperty<T> {
  return { ok: false, reason: 'unreadable', detail: `${path}: ${what}` };
}

/** §5: a u32 property is one 4-byte big-endian cell; the IDs sit in its low 16 bits. */
export function readCell(path: string): DtProperty<number> {
  const r = readBytes(path);
  if (!r.ok) return r;
  if (r.value.length !== 4)
    return malformed(path, `expected one 4-byte big-endian cell, found ${r.value.length} bytes`);
  return { ok: true, value: r.value.readUInt32BE(0) };
}

/**
 * A u32 as the cxl driver reads it (of.c: cxl_of_read_adapter_properties, of_property_read_u32):
 * the first big-endian cell of a property at least 4 bytes long; anything after it is ignored.
 */
export function readFirstCell(path: string): DtProperty<number> {
  const r = readBytes(path);
  if (!r.ok) return r;
  if (r.value.length < 4)
    return malformed(path, `expected a 4-byte big-endian cell, found ${r.value.length} bytes`);
  return { ok: true, value: r.value.readUInt32BE(0) };
}

/** A string property: bytes up to the first NUL. */
export function readString(path: string): DtProperty<string> {
  const r = readBytes(path);
  if (!r.ok) return r;
  const end = r.value.indexOf(0);
  return { ok: true, value: r.value.toString('utf8', 0, end === -1 ? r.value.length : end) };
}

/** `major.minor` from a CAIA property: major = bits 15:8, minor = bits 7:0 (§5). */
export function formatCaia(value: number): string {
  return `${(value >> 8) & 0xff}.${value & 0xff}`;
}

/**
 * Resolve a symlink inside the root. Real sysfs links are relative, so resolving them under the
 * prefix stays inside it; a link that escapes the prefix is reported, not followed.
 */
export function resolveInside(root: SystemRoot, prefixedPath: string): ReadResult<string> {
  try {
    const resolved = realpathSync(prefixedPath);
    if (root.unprefixed(resolved) === null)
      return {
        ok: false,
        reason: 'unreadable',
        detail: `${prefixedPath} resolves to ${resolved}, outside ${root.prefix}`,
      };
    return { ok: true, value: resolved };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      ok: false,
      reason: code === 'ENOENT' || code === 'ENOTDIR' ? 'missing' : 'unreadable',
      detail: error instanceof Error ? error.message : String(error),
    };
  }
}

const absentNode = (detail: string): AdapterNode => {
  const missing = { ok: false, reason: 'missing', detail } as const;
  return {
    path: null,
    vendorId: missing,
    deviceId: missing,
    subsystemVendorId: missing,
    subsystemId: missing,
    revisionId: missing,
    locationCode: missing,
    pslRevision: missing,
    caiaVersion: missing,
    caiaProperty: null,
    privilegedFacility: missing,
    status: missing,
  };
};

/**
 * The adapter's node through `<card dir>/device/of_node` (§5). `cardDir` is prefixed; in real
 * sysfs `/sys/class/cxl/cardN` is itself a link into /sys/devices, resolved on the way.
 */
export function readAdapterNode(root: SystemRoot, cardDir: string): AdapterNode {
  const node = resolveInside(root, join(cardDir, 'device', 'of_node'));
  if (!node.ok) return absentNode(`no device/of_node: ${node.detail}`);
  const prop = (name: string): string => join(node.value, name);
  // §5: the driver reads ibm,caia-version; LoPAR spells it ibm,cai-version [UNCONFIRMED which
  // PowerVM uses], so the second spelling is read when the first is absent.
  let caiaProperty: AdapterNode['caiaProperty'] = 'ibm,caia-version';
  let caiaVersion = readFirstCell(prop('ibm,caia-version'));
  if (!caiaVersion.ok && caiaVersion.reason === 'missing') {
    const lopar = readCell(prop('ibm,cai-version'));
    if (lopar.ok || lopar.reason === 'unreadable') {
      caiaProperty = 'ibm,cai-version';
      caiaVersion = lopar;
    } else caiaProperty = null;
  }
  return {
    path: root.unprefixed(node.value),
    vendorId: readFirstCell(prop('vendor-id')),
    deviceId: readFirstCell(prop('device-id')),
    subsystemVendorId: readFirstCell(prop('subsystem-vendor-id')),
    subsystemId: readFirstCell(prop('subsystem-id')),
    revisionId: readCell(prop('revision-id')),
    locationCode: readString(prop('ibm,loc-code')),
    pslRevision: readFirstCell(prop('ibm,psl-revision')),
    caiaVersion,
    caiaProperty,
    privilegedFacility: readCell(prop('ibm,privileged-facility')),
    status: readString(prop('status')),
  };
}

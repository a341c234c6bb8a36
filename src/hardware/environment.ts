/**
 * What this machine is, as far as flashing goes: kernel, driver, PowerVM guest, card device
 * nodes and access to them. Reads only; never opens a card device (open + close resets the
 * adapter, docs/kernel-contract.md §4.5).
 */
import { statSync } from 'node:fs';
import { release } from 'node:os';
import { listDir, readBytes, readText } from './read.js';
import type { SystemRoot } from './system-root.js';
import { quoteInput } from '../terminal-text.js';

export type DriverStatus = 'unknown' | 'too-old' | 'supported' | 'deprecated' | 'removed';

export interface DriverSupport {
  readonly status: DriverStatus;
  readonly note: string;
}

/** What docs/kernel-contract.md §7 says about the cxl driver in a kernel release. */
export function driverSupportForKernel(kernelRelease: string): DriverSupport {
  const match = /^(\d+)\.(\d+)/.exec(kernelRelease);
  if (!match)
    return { status: 'unknown', note: `cannot read a version from ${quoteInput(kernelRelease)}` };
  const version = Number(match[1]) * 1000 + Number(match[2]);
  if (version < 4006)
    return {
      status: 'too-old',
      note: 'Flashing from a PowerVM guest arrived in Linux 4.6; this kernel has no card device.',
    };
  if (version < 6014)
    return {
      status: 'supported',
      note: 'This kernel has the cxl driver (Linux 4.6 to 6.14; 6.12 is the last LTS series with it).',
    };
  if (version === 6014)
    return {
      status: 'deprecated',
      note: 'The cxl driver is deprecated in Linux 6.14 and not built by default; check that your distribution enabled it.',
    };
  return {
    status: 'removed',
    note: 'The cxl driver was removed in Linux 6.15; boot a kernel from 4.6 to 6.14 (6.12 LTS) to flash.',
  };
}

export interface CardNode {
  readonly name: string;
  readonly path: string;
  readonly kind: 'char-device' | 'file' | 'other';
  /** read and write access for this user (the device mode is the only gate, §4.1) */
  readonly accessible: boolean;
  readonly mode: string;
  /** owner of the node, null when it cannot be stat'ed */
  readonly uid: number | null;
}

export interface Environment {
  readonly kernelRelease: string;
  readonly driver: DriverSupport;
  /** /sys/module/cxl exists */
  readonly cxlModuleLoaded: boolean;
  /** `hcall-ca` in ibm,hypertas-functions: true, false, or null when the property is absent */
  readonly powervmGuest: boolean | null;
  readonly hypertasDetail: string;
  readonly effectiveUid: number | null;
  readonly cardNodes: readonly CardNode[];
}

/** The hypertas property is a list of NUL-terminated strings (LoPAR). */
export function hasHcallCa(property: Buffer): boolean {
  return property
    .toString('latin1')
    .split('\0')
    .some((name) => name === 'hcall-ca');
}

export function probeCardNode(root: SystemRoot, name: string): CardNode {
  const path = root.path(`/dev/cxl/${name}`);
  let kind: CardNode['kind'] = 'other';
  let mode = '';
  let uid: number | null = null;
  try {
    const st = statSync(path);
    kind = st.isCharacterDevice() ? 'char-device' : st.isFile() ? 'file' : 'other';
    mode = (st.mode & 0o7777).toString(8).padStart(4, '0');
    uid = st.uid;
  } catch {
    // listed but gone: reported as not accessible
  }
  return { name, path, kind, accessible: root.canOpenReadWrite(path), mode, uid };
}

export function readCardNodes(root: SystemRoot): CardNode[] {
  const entries = listDir(root.path('/dev/cxl'));
  if (!entries.ok) return [];
  return entries.value
    .filter((name) => /^card\d+$/.test(name))
    .sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)))
    .map((name) => probeCardNode(root, name));
}

export function readEnvironment(root: SystemRoot): Environment {
  const osrelease = readText(root.path('/proc/sys/kernel/osrelease'));
  const kernelRelease = osrelease.ok ? osrelease.value.trim() : root.isReal ? release() : 'unknown';
  const hypertas = readBytes(root.path('/proc/device-tree/rtas/ibm,hypertas-functions'));
  const powervmGuest = hypertas.ok ? hasHcallCa(hypertas.value) : null;
  const module = listDir(root.path('/sys/module/cxl'));
  return {
    kernelRelease,
    driver: driverSupportForKernel(kernelRelease),
    cxlModuleLoaded: module.ok,
    powervmGuest,
    hypertasDetail: hypertas.ok
      ? powervmGuest
        ? 'hcall-ca is listed in ibm,hypertas-functions'
        : 'ibm,hypertas-functions does not list hcall-ca'
      : `no ibm,hypertas-functions (${hypertas.reason}): not a PowerVM guest`,
    effectiveUid: typeof process.geteuid === 'function' ? process.geteuid() : null,
    cardNodes: readCardNodes(root),
  };
}

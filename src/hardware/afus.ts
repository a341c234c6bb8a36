/**
 * The AFUs of a card: `/sys/class/cxl/afuN.M` and their `/dev/cxl/afuN.M{m,s,d}` nodes
 * (docs/kernel-contract.md §5). In a guest only AFU-directed mode works, so only `m` and `s` exist there.
 */
import { existsSync } from 'node:fs';
import { listDir, readText } from './read.js';
import type { SystemRoot } from './system-root.js';
import type { AfuDeviceNode, AfuInfo, AfuNodeKind, ConfigRecord } from './types.js';

const SUFFIX: Record<AfuNodeKind, string> = { master: 'm', slave: 's', dedicated: 'd' };
const KINDS: readonly AfuNodeKind[] = ['master', 'slave', 'dedicated'];

function readNumber(path: string): number | null {
  const r = readText(path);
  if (!r.ok) return null;
  const value = Number(r.value.trim());
  return Number.isFinite(value) ? value : null;
}

function readOptionalText(path: string): string | null {
  const r = readText(path);
  return r.ok ? r.value.trim() : null;
}

function readConfigRecords(afuDir: string): ConfigRecord[] {
  const entries = listDir(afuDir);
  if (!entries.ok) return [];
  return entries.value
    .filter((name) => /^cr\d+$/.test(name))
    .map((name) => ({
      index: Number(name.slice(2)),
      vendor: readOptionalText(`${afuDir}/${name}/vendor`),
      device: readOptionalText(`${afuDir}/${name}/device`),
      class: readOptionalText(`${afuDir}/${name}/class`),
    }))
    .sort((a, b) => a.index - b.index);
}

/** A node is listed when its context exists in sysfs or its /dev file exists. */
function readDeviceNodes(
  root: SystemRoot,
  name: string,
  classEntries: Set<string>,
): AfuDeviceNode[] {
  return KINDS.flatMap((kind) => {
    const nodeName = `${name}${SUFFIX[kind]}`;
    const devicePath = `/dev/cxl/${nodeName}`;
    const present = existsSync(root.path(devicePath));
    return present || classEntries.has(nodeName) ? [{ kind, devicePath, present }] : [];
  });
}

function readAfu(root: SystemRoot, name: string, classEntries: Set<string>): AfuInfo {
  const match = /^afu(\d+)\.(\d+)$/.exec(name);
  const dir = root.path(`/sys/class/cxl/${name}`);
  const modes = readText(`${dir}/modes_supported`);
  return {
    name,
    cardNumber: Number(match?.[1]),
    slice: Number(match?.[2]),
    mode: readOptionalText(`${dir}/mode`),
    modesSupported: modes.ok ? modes.value.split(/\s+/).filter((m) => m.length > 0) : [],
    mmioSize: readNumber(`${dir}/mmio_size`),
    irqsMin: readNumber(`${dir}/irqs_min`),
    irqsMax: readNumber(`${dir}/irqs_max`),
    configRecords: readConfigRecords(dir),
    deviceNodes: readDeviceNodes(root, name, classEntries),
  };
}

/** Every AFU of card N, by slice. */
export function readAfus(root: SystemRoot, cardNumber: number): AfuInfo[] {
  const entries = listDir(root.path('/sys/class/cxl'));
  if (!entries.ok) return [];
  const classEntries = new Set(entries.value);
  return entries.value
    .filter((name) => new RegExp(`^afu${cardNumber}\\.\\d+$`).test(name))
    .map((name) => readAfu(root, name, classEntries))
    .sort((a, b) => a.slice - b.slice);
}

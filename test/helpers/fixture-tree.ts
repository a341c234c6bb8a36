/**
 * Hand-built system trees for discovery tests: files, relative symlinks and device-tree cells
 * laid out as real sysfs lays them out (class entries are links into /sys/devices).
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { SystemRoot } from '../../src/hardware/system-root.js';

export class FixtureTree {
  readonly dir = mkdtempSync(join(tmpdir(), 'cxl-fixture-'));
  readonly root = new SystemRoot(this.dir);

  file(path: string, content: string | Buffer = '', mode?: number): this {
    const full = join(this.dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
    if (mode !== undefined) chmodSync(full, mode);
    return this;
  }

  mkdir(path: string): this {
    mkdirSync(join(this.dir, path), { recursive: true });
    return this;
  }

  /** A relative symlink at `path` to the absolute (in-tree) `target`. */
  link(path: string, target: string): this {
    const full = join(this.dir, path);
    mkdirSync(dirname(full), { recursive: true });
    rmSync(full, { force: true });
    symlinkSync(relative(dirname(full), join(this.dir, target)), full);
    return this;
  }

  /** A symlink whose text is exactly `text` (for /proc/PID/fd). */
  rawLink(path: string, text: string): this {
    const full = join(this.dir, path);
    mkdirSync(dirname(full), { recursive: true });
    symlinkSync(text, full);
    return this;
  }

  cell(path: string, value: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(value >>> 0);
    return this.file(path, b);
  }

  remove(path: string): this {
    rmSync(join(this.dir, path), { recursive: true, force: true });
    return this;
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export const PDEV = '/sys/devices/platform/30000001.ibm,coherent-platform-facility';
export const DT_NODE = '/sys/firmware/devicetree/base/ibm,coherent-platform-facility@30000001';

export interface GuestCardOptions {
  readonly number?: number;
  readonly locationCode?: string;
  readonly pslRevision?: number;
  /** omit these DT properties */
  readonly omit?: readonly string[];
  readonly caiaSpelling?: 'ibm,caia-version' | 'ibm,cai-version';
}

/** A guest card (§5 guest attribute set) with its DT node, one directed-mode AFU and nodes. */
export function addGuestCard(tree: FixtureTree, options: GuestCardOptions = {}): void {
  const n = options.number ?? 0;
  const pdev = `${PDEV}${n === 0 ? '' : `-${n}`}`;
  const node = `${DT_NODE}${n === 0 ? '' : `-${n}`}`;
  const card = `${pdev}/cxl/card${n}`;
  const omit = new Set(options.omit ?? []);
  const cell = (name: string, value: number): void => {
    if (!omit.has(name)) tree.cell(`${node}/${name}`, value);
  };
  cell('vendor-id', 0x1014);
  cell('device-id', 0x0477);
  cell('subsystem-vendor-id', 0x1014);
  cell('subsystem-id', 0x04cf);
  cell('revision-id', 2);
  cell('ibm,psl-revision', options.pslRevision ?? 12);
  cell(options.caiaSpelling ?? 'ibm,caia-version', 0x0100);
  cell('ibm,privileged-facility', 1);
  if (!omit.has('ibm,loc-code'))
    tree.file(`${node}/ibm,loc-code`, `${options.locationCode ?? 'U78CB.001.WZS0001-P1-C7'}\0`);
  if (!omit.has('status')) tree.file(`${node}/status`, 'okay\0');
  tree.link(`${pdev}/of_node`, node);
  tree
    .file(`${card}/caia_version`, '1.0\n')
    .file(`${card}/psl_revision`, `${options.pslRevision ?? 12}\n`)
    .file(`${card}/psl_timebase_synced`, '1\n')
    .file(`${card}/tunneled_ops_supported`, '0\n')
    .file(`${card}/reset`, '', 0o200)
    .file(`${card}/dev`, `238:${n * 13}\n`)
    .file(`${card}/uevent`, `MAJOR=238\nMINOR=${n * 13}\nDEVNAME=cxl/card${n}\n`)
    .link(`${card}/device`, pdev)
    .link(`/sys/class/cxl/card${n}`, card);
  const afu = `${card}/afu${n}.0`;
  tree
    .file(`${afu}/mode`, 'afu_directed\n')
    .file(`${afu}/modes_supported`, 'afu_directed\n')
    .file(`${afu}/mmio_size`, '67108864\n')
    .file(`${afu}/irqs_min`, '1\n')
    .file(`${afu}/irqs_max`, '2037\n')
    .file(`${afu}/cr0/vendor`, '0x1014\n')
    .file(`${afu}/cr0/device`, '0x0601\n')
    .file(`${afu}/cr0/class`, '0x120000\n')
    .mkdir(`${afu}/afu${n}.0m`)
    .mkdir(`${afu}/afu${n}.0s`)
    .link(`/sys/class/cxl/afu${n}.0`, afu)
    .link(`/sys/class/cxl/afu${n}.0m`, `${afu}/afu${n}.0m`)
    .link(`/sys/class/cxl/afu${n}.0s`, `${afu}/afu${n}.0s`)
    .file(`/dev/cxl/card${n}`, '', 0o600)
    .file(`/dev/cxl/afu${n}.0m`, '', 0o600)
    .file(`/dev/cxl/afu${n}.0s`, '', 0o600);
}

/** A PowerVM guest with the driver: osrelease, hcall-ca, /sys/module/cxl, meminfo. */
export function addGuestSystem(tree: FixtureTree, memAvailableKb = 8_000_000): void {
  tree
    .file('/proc/sys/kernel/osrelease', '6.1.0-18-powerpc64le\n')
    .file('/proc/device-tree/rtas/ibm,hypertas-functions', 'hcall-pft\0hcall-ca\0hcall-multi-tce\0')
    .mkdir('/sys/module/cxl/parameters')
    .file(
      '/proc/meminfo',
      `MemTotal: 16000000 kB\nMemFree: 1000 kB\nMemAvailable: ${memAvailableKb} kB\n`,
    );
}

/** A fake process holding `devicePath` open as fd 3. */
export function addProcess(
  tree: FixtureTree,
  pid: number,
  devicePath: string,
  options: { cmdline?: string; uid?: number } = {},
): void {
  tree
    .file(
      `/proc/${pid}/cmdline`,
      `${(options.cmdline ?? '/usr/bin/capi-app --afu 0').split(' ').join('\0')}\0`,
    )
    .file(
      `/proc/${pid}/status`,
      `Name:\tcapi-app\nUid:\t${options.uid ?? 1001}\t${options.uid ?? 1001}\t0\t0\n`,
    )
    .rawLink(`/proc/${pid}/fd/0`, '/dev/null')
    .rawLink(`/proc/${pid}/fd/3`, devicePath);
}

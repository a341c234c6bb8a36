/**
 * The fake system root of the simulated adapter: a PowerVM guest (docs/kernel-contract.md §5) with the
 * guest attribute set, a DT node reached through `device/of_node`, directed-mode AFUs with `m`
 * and `s` nodes, /proc entries for simulated processes, and the bare-metal variant for
 * `not-guest`. Layout as real sysfs: class entries link into /sys/devices, the card sits in a
 * `cxl` glue directory under its platform device. The DT node path is [UNCONFIRMED] (§5).
 */
import type { SimModel } from './model.js';
import type { ScenarioSet } from './scenarios.js';
import type { TreeWriter } from './tree-writer.js';

/** The major the "cxl" chrdev region would get; dynamic in the kernel (§4.1). */
export const CXL_MAJOR = 238;
export const CARD_FD = 9;

const hex = (n: number): string => n.toString(16);
export const platformDevice = (m: SimModel): string =>
  `/sys/devices/platform/${hex(m.adapter.unitAddress)}.ibm,coherent-platform-facility`;
export const dtNode = (m: SimModel): string =>
  `/sys/firmware/devicetree/base/ibm,coherent-platform-facility@${hex(m.adapter.unitAddress)}`;
const bareMetalDevice = '/sys/devices/pci0004:00/0004:00:00.0/0004:01:00.0';

/** Where card N's directory lives under its parent device. */
const cardDir = (m: SimModel, scenarios: ScenarioSet, n: number): string =>
  `${scenarios.notGuest ? bareMetalDevice : platformDevice(m)}/cxl/card${n}`;

export function writeDeviceTreeNode(w: TreeWriter, m: SimModel): void {
  const node = dtNode(m);
  const a = m.adapter;
  w.cell(`${node}/reg`, 0, 0, a.unitAddress) // 3 address cells, type 0 = unit address (§5)
    .string(`${node}/compatible`, 'ibm,coherent-platform-facility')
    .cell(`${node}/vendor-id`, a.vendorId)
    .cell(`${node}/device-id`, a.deviceId)
    .cell(`${node}/subsystem-vendor-id`, a.subsystemVendorId)
    .cell(`${node}/subsystem-id`, a.subsystemId)
    .cell(`${node}/revision-id`, a.revisionId)
    .cell(`${node}/class-code`, 0x120000)
    .string(`${node}/ibm,loc-code`, a.locationCode)
    .cell(`${node}/ibm,caia-version`, a.caiaVersion)
    .cell(`${node}/ibm,privileged-facility`, 1)
    .string(`${node}/status`, 'okay');
  updatePslRevision(w, m);
}

/** §4.6: update_devicetree replaces properties in the live DT after a successful validate. */
export function updatePslRevision(w: TreeWriter, m: SimModel): void {
  w.cell(`${dtNode(m)}/ibm,psl-revision`, m.pslRevision);
}

export function writeSystem(w: TreeWriter, m: SimModel, scenarios: ScenarioSet): void {
  w.attr('/proc/sys/kernel/osrelease', '6.1.0-cxl-flasher-simulated')
    .file(
      '/proc/meminfo',
      'MemTotal:       16777216 kB\nMemFree:         8388608 kB\nMemAvailable:   12582912 kB\n',
    )
    .file(
      '/etc/passwd',
      'root:x:0:0:root:/root:/bin/sh\ncapiuser:x:1001:1001:CAPI application:/home/capiuser:/bin/sh\n',
    )
    .link('/proc/device-tree', '/sys/firmware/devicetree/base')
    .mkdir('/dev/cxl');
  if (!scenarios.notGuest)
    w.file(
      '/sys/firmware/devicetree/base/rtas/ibm,hypertas-functions',
      'hcall-pft\0hcall-term\0hcall-dabr\0hcall-interrupt\0hcall-ca\0hcall-multi-tce\0',
    );
  // The firmware describes the adapter whether or not the driver is loaded.
  if (!scenarios.notGuest && !scenarios.noCards) {
    writeDeviceTreeNode(w, m);
    w.link(`${platformDevice(m)}/of_node`, dtNode(m));
  }
  if (!scenarios.driverAbsent)
    w.attr('/sys/module/cxl/parameters/verbose', 0, 0o600).mkdir('/sys/class/cxl');
  else w.remove('/dev/cxl');
}

/** §5, the guest set (or the bare-metal set for `not-guest`), the class link and the node. */
export function writeCard(w: TreeWriter, m: SimModel, scenarios: ScenarioSet): void {
  const n = m.card.number;
  const dir = cardDir(m, scenarios, n);
  const caia = `${(m.adapter.caiaVersion >> 8) & 0xff}.${m.adapter.caiaVersion & 0xff}`;
  w.attr(`${dir}/caia_version`, caia)
    .attr(`${dir}/psl_revision`, m.pslRevision)
    .attr(`${dir}/psl_timebase_synced`, 1)
    .attr(`${dir}/tunneled_ops_supported`, 0)
    .file(`${dir}/reset`, '', 0o200);
  if (scenarios.notGuest) {
    w.attr(`${dir}/base_image`, 1)
      .attr(`${dir}/image_loaded`, 'user')
      .attr(`${dir}/load_image_on_perst`, 'user', 0o644)
      .attr(`${dir}/perst_reloads_same_image`, 1, 0o644)
      .attr(`${dir}/uevent`, '', 0o644)
      .link(`${dir}/device`, bareMetalDevice);
  } else {
    w.attr(`${dir}/dev`, `${CXL_MAJOR}:${n * 13}`)
      .file(`${dir}/uevent`, `MAJOR=${CXL_MAJOR}\nMINOR=${n * 13}\nDEVNAME=cxl/card${n}\n`)
      .link(`${dir}/device`, platformDevice(m))
      .file(`/dev/cxl/card${n}`, '', 0o600);
  }
  w.link(`/sys/class/cxl/card${n}`, dir);
}

/** §4.6: the card device and its sysfs entries go away on the reload's remove. */
export function removeCard(w: TreeWriter, m: SimModel, scenarios: ScenarioSet): void {
  const n = m.card.number;
  removeAfus(w, m, scenarios);
  w.remove(`/sys/class/cxl/card${n}`)
    .remove(cardDir(m, scenarios, n))
    .remove(`/dev/cxl/card${n}`);
}

/** §5: directed mode only in a guest, with master and slave contexts and nodes. */
export function writeAfus(w: TreeWriter, m: SimModel, scenarios: ScenarioSet): void {
  const n = m.card.number;
  for (let slice = 0; slice < m.adapter.afuCount; slice++) {
    const name = `afu${n}.${slice}`;
    const dir = `${cardDir(m, scenarios, n)}/${name}`;
    const d = n * 13 + 1 + 3 * slice;
    w.attr(`${dir}/mode`, 'afu_directed', 0o644)
      .attr(
        `${dir}/modes_supported`,
        scenarios.notGuest ? 'dedicated_process\nafu_directed' : 'afu_directed',
      )
      .attr(`${dir}/mmio_size`, 67108864)
      .attr(`${dir}/irqs_min`, 1)
      .attr(`${dir}/irqs_max`, 2037, 0o644)
      .attr(`${dir}/prefault_mode`, 'none', 0o644)
      .attr(`${dir}/api_version`, 3)
      .attr(`${dir}/api_version_compatible`, 1)
      .file(`${dir}/reset`, '', 0o200)
      .attr(`${dir}/cr0/vendor`, '0x1014')
      .attr(`${dir}/cr0/device`, '0x0601')
      .attr(`${dir}/cr0/class`, '0x120000')
      .file(`${dir}/cr0/config`, Buffer.alloc(256))
      .link(`/sys/class/cxl/${name}`, dir);
    for (const [suffix, minor] of [
      ['m', d + 1],
      ['s', d + 2],
    ] as const) {
      const ctx = `${dir}/${name}${suffix}`;
      w.attr(`${ctx}/dev`, `${CXL_MAJOR}:${minor}`)
        .link(`/sys/class/cxl/${name}${suffix}`, ctx)
        .file(`/dev/cxl/${name}${suffix}`, '', 0o600);
      if (suffix === 'm') w.attr(`${ctx}/mmio_size`, 67108864).attr(`${ctx}/pp_mmio_len`, 65536);
      else w.link(`${ctx}/device`, dir);
    }
  }
}

/** §4.6 step 1: `/dev/cxl/afuN.M*` and `/sys/class/cxl/afuN.M*` disappear. */
export function removeAfus(w: TreeWriter, m: SimModel, scenarios: ScenarioSet): void {
  const n = m.card.number;
  for (let slice = 0; slice < m.adapter.afuCount; slice++) {
    const name = `afu${n}.${slice}`;
    for (const suffix of ['', 'm', 's', 'd']) w.remove(`/sys/class/cxl/${name}${suffix}`);
    for (const suffix of ['m', 's', 'd']) w.remove(`/dev/cxl/${name}${suffix}`);
    w.remove(`${cardDir(m, scenarios, n)}/${name}`);
  }
}

export interface ProcEntry {
  readonly pid: number;
  readonly argv: readonly string[];
  readonly uid: number;
  readonly fds: Readonly<Record<number, string>>;
}

/** `/proc/PID/{cmdline,status,fd/N}`; fd links carry unprefixed paths, as processes see them. */
export function writeProc(w: TreeWriter, entry: ProcEntry): void {
  const base = `/proc/${entry.pid}`;
  const name = (entry.argv[0] ?? 'unknown').split('/').pop() ?? 'unknown';
  w.remove(base)
    .file(`${base}/cmdline`, `${entry.argv.join('\0')}\0`)
    .file(`${base}/comm`, `${name.slice(0, 15)}\n`)
    .file(
      `${base}/status`,
      `Name:\t${name.slice(0, 15)}\nPid:\t${entry.pid}\nUid:\t${entry.uid}\t${entry.uid}\t${entry.uid}\t${entry.uid}\n`,
    );
  for (const [fd, target] of Object.entries(entry.fds)) w.rawLink(`${base}/fd/${fd}`, target);
}

/** The simulated processes of the afu-in-use and card-held scenarios. */
export function writePhantoms(w: TreeWriter, m: SimModel): void {
  const n = m.card.number;
  if (m.phantoms.afuUser !== null)
    writeProc(w, {
      pid: m.phantoms.afuUser,
      argv: ['/opt/capi/bin/capi-app', '--device', `/dev/cxl/afu${n}.0m`],
      uid: 1001,
      fds: { 0: '/dev/null', 3: `/dev/cxl/afu${n}.0m` },
    });
  if (m.phantoms.cardHolder !== null)
    writeProc(w, {
      pid: m.phantoms.cardHolder,
      argv: ['/usr/local/bin/vendor-flash', '--card', `/dev/cxl/card${n}`],
      uid: 0,
      fds: { 0: '/dev/null', 3: `/dev/cxl/card${n}` },
    });
}

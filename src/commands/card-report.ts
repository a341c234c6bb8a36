/**
 * The adapters of this machine as `list` and `doctor` show them: each card with its location
 * code, IDs, PSL revision, CAIA version, device node and AFUs, who has the AFUs open, and who
 * holds a card device. A simulated adapter is marked on every line that names it.
 */
import { locationCodeOf, readCards } from '../hardware/cards.js';
import { formatCaia } from '../hardware/device-tree.js';
import type { SystemRoot } from '../hardware/system-root.js';
import type { CardInfo, DeviceUser, DtProperty } from '../hardware/types.js';
import { cardHolders, readDeviceUsers, usersOfAfus } from '../hardware/users.js';
import type { Simulation } from '../sim/simulation.js';
import { shown } from '../terminal-text.js';

export interface ListedAfu {
  readonly name: string;
  readonly mode: string | null;
  readonly modesSupported: readonly string[];
  readonly deviceNodes: readonly { readonly path: string; readonly present: boolean }[];
  readonly users: readonly DeviceUser[];
}

export interface ListedCard {
  readonly name: string;
  readonly simulated: boolean;
  readonly locationCode: string | null;
  readonly vendorId: number | null;
  readonly deviceId: number | null;
  readonly subsystemVendorId: number | null;
  readonly subsystemId: number | null;
  readonly revisionId: number | null;
  readonly pslRevision: number | null;
  readonly caiaVersion: string | null;
  readonly mode: CardInfo['mode'];
  readonly devicePath: string;
  readonly deviceNodePresent: boolean;
  readonly privilegedFacility: number | null;
  readonly afus: readonly ListedAfu[];
  /** processes holding this card's device node */
  readonly holders: readonly DeviceUser[];
}

export interface SimulatorSummary {
  readonly dir: string;
  readonly scenarios: readonly string[];
  /** valid / erased / partial / downloaded, and where it came from */
  readonly image: {
    readonly state: string;
    readonly origin: string;
    readonly sha256: string | null;
  };
  readonly cardPresent: boolean;
  readonly lastEvent: string;
  readonly notes: readonly string[];
}

export interface CardReport {
  readonly simulated: boolean;
  readonly simulator: SimulatorSummary | null;
  readonly cards: readonly ListedCard[];
  /** every process holding any card device (only one can, system-wide: §4.1) */
  readonly cardHolders: readonly DeviceUser[];
  /** processes whose open files could not be read (run as root to see them) */
  readonly unreadablePids: readonly number[];
}

const value = <T>(p: DtProperty<T>): T | null => (p.ok ? p.value : null);
const id = (p: DtProperty<number>): number | null => {
  const v = value(p);
  return v === null ? null : v & 0xffff;
};

function listCard(card: CardInfo, users: readonly DeviceUser[], simulated: boolean): ListedCard {
  const psl = value(card.node.pslRevision);
  const caia = value(card.node.caiaVersion);
  return {
    name: card.name,
    simulated,
    locationCode: locationCodeOf(card),
    vendorId: id(card.node.vendorId),
    deviceId: id(card.node.deviceId),
    subsystemVendorId: id(card.node.subsystemVendorId),
    subsystemId: id(card.node.subsystemId),
    revisionId: value(card.node.revisionId),
    pslRevision:
      psl ?? (card.attributes.psl_revision ? Number(card.attributes.psl_revision) : null),
    caiaVersion: caia !== null ? formatCaia(caia) : (card.attributes.caia_version ?? null),
    mode: card.mode,
    devicePath: card.devicePath,
    deviceNodePresent: card.deviceNodePresent,
    privilegedFacility: value(card.node.privilegedFacility),
    afus: card.afus.map((afu) => ({
      name: afu.name,
      mode: afu.mode,
      modesSupported: afu.modesSupported,
      deviceNodes: afu.deviceNodes.map((n) => ({ path: n.devicePath, present: n.present })),
      users: usersOfAfus(users, [afu.name]),
    })),
    holders: users.filter((u) => u.devicePath === card.devicePath),
  };
}

export function buildCardReport(root: SystemRoot, simulation: Simulation | null): CardReport {
  const scan = readDeviceUsers(root);
  const simulated = simulation !== null;
  const state = simulation?.state();
  return {
    simulated,
    simulator:
      simulation && state
        ? {
            dir: simulation.dir,
            scenarios: simulation.scenarios.names,
            image: state.image,
            cardPresent: state.card.present,
            lastEvent: state.lastEvent,
            notes: simulation.notes,
          }
        : null,
    cards: readCards(root).map((card) => listCard(card, scan.users, simulated)),
    cardHolders: cardHolders(scan.users),
    unreadablePids: scan.unreadablePids,
  };
}

const hex = (n: number | null, digits = 4): string =>
  n === null ? '?' : `0x${n.toString(16).padStart(digits, '0')}`;
const who = (u: DeviceUser): string => `PID ${u.pid} ${shown(u.user)}: ${shown(u.command)}`;

const IMAGE_WORDS: Record<string, string> = {
  valid: 'a valid image',
  erased: 'ERASED: an aborted download left no valid image',
  partial: 'PARTIAL: an aborted download left no valid image',
  downloaded: 'DOWNLOADED BUT NOT VALIDATED: no valid image',
};

function renderSimulator(s: SimulatorSummary): string[] {
  const scenarios = s.scenarios.length > 0 ? `, scenarios: ${s.scenarios.join(', ')}` : '';
  return [
    `SIMULATED ADAPTER: not real hardware (simulator in ${shown(s.dir)}${scenarios})`,
    `  simulated flash holds ${IMAGE_WORDS[s.image.state] ?? s.image.state} (${s.image.origin})`,
    `  last event: ${shown(s.lastEvent)}`,
    ...s.notes.map((note) => `  note: ${note}`),
    '',
  ];
}

function renderCard(c: ListedCard): string[] {
  const mark = c.simulated ? '  [SIMULATED]' : '';
  const facility =
    c.privilegedFacility === null ? 'unknown' : c.privilegedFacility === 1 ? 'yes' : 'no';
  const lines = [
    `${shown(c.name)}  ${c.locationCode === null ? '(no location code)' : shown(c.locationCode)}${mark}`,
    `  IDs       vendor ${hex(c.vendorId)}  device ${hex(c.deviceId)}  subsystem ${hex(c.subsystemVendorId)}:${hex(c.subsystemId)}  revision ${hex(c.revisionId, 2)}`,
    `  PSL       revision ${c.pslRevision ?? '?'}  CAIA ${c.caiaVersion ?? '?'}  (${c.mode} card)`,
    `  device    ${shown(c.devicePath)} ${c.deviceNodePresent ? '(present)' : '(ABSENT)'}  privileged facility: ${facility}`,
  ];
  for (const holder of c.holders) lines.push(`  held by   ${who(holder)}`);
  if (c.afus.length === 0) lines.push('  AFUs      none');
  for (const afu of c.afus) {
    const nodes = afu.deviceNodes
      .map((n) => `${shown(n.path)}${n.present ? '' : ' (absent)'}`)
      .join(' ');
    lines.push(`  ${shown(afu.name).padEnd(8)}  ${shown(afu.mode ?? '?')}  ${nodes}`);
    lines.push(
      afu.users.length === 0
        ? '            not in use'
        : `            IN USE by ${afu.users.map(who).join('; ')}`,
    );
  }
  return lines;
}

/** `noCardsHint`: where to look when there are no cards (doctor says: its own lines above). */
export function renderCardReport(
  report: CardReport,
  noCardsHint = 'Run `cxl-flasher doctor` to see why.',
): string {
  const lines = report.simulator ? renderSimulator(report.simulator) : [];
  if (report.cards.length === 0)
    lines.push(
      report.simulated
        ? 'No simulated cards (see the scenarios above).'
        : `No cxl cards found. ${noCardsHint}`,
    );
  for (const card of report.cards) lines.push(...renderCard(card), '');
  lines.push(
    report.cardHolders.length === 0
      ? 'Processes holding card devices: none'
      : `Processes holding card devices: ${report.cardHolders.map((u) => `${who(u)} (${shown(u.devicePath)})`).join('; ')}`,
  );
  if (report.unreadablePids.length > 0)
    lines.push(
      `(${report.unreadablePids.length} processes could not be inspected; run as root to see them all)`,
    );
  return lines.join('\n');
}

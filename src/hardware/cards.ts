/**
 * The cards of this machine: `/sys/class/cxl/cardN` with every attribute that exists (the guest
 * and bare-metal sets differ, docs/kernel-contract.md §5), the `/dev/cxl/cardN` node, the adapter's
 * device-tree node and the AFUs. Reads only; never opens a card device (§4.5).
 */
import { existsSync, lstatSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode, UserFacingError } from '../exit-codes.js';
import { readAfus } from './afus.js';
import { readAdapterNode, resolveInside } from './device-tree.js';
import { listDir, readText } from './read.js';
import type { SystemRoot } from './system-root.js';
import type { CardInfo } from './types.js';
import { quoteInput, shown } from '../terminal-text.js';

/** §5: every card attribute the driver defines, in either mode. */
export const CARD_ATTRIBUTES = [
  'caia_version',
  'psl_revision',
  'psl_timebase_synced',
  'tunneled_ops_supported',
  'reset',
  'base_image',
  'image_loaded',
  'load_image_on_perst',
  'perst_reloads_same_image',
  'dev',
] as const;

interface Attributes {
  readonly values: Record<string, string>;
  readonly unreadable: string[];
}

/**
 * Regular files are attributes. A file without read bits has no `show` method in sysfs, which
 * answers EACCES even to root (the write-only `reset`), so it is listed as unreadable without
 * trying. A directory where a known attribute should be is unreadable too.
 */
function readAttributes(cardDir: string): Attributes {
  const values: Record<string, string> = {};
  const unreadable: string[] = [];
  const entries = listDir(cardDir);
  for (const name of entries.ok ? entries.value : []) {
    const path = join(cardDir, name);
    let st;
    try {
      st = lstatSync(path);
    } catch {
      continue; // gone between readdir and lstat
    }
    if (st.isDirectory()) {
      if ((CARD_ATTRIBUTES as readonly string[]).includes(name)) unreadable.push(name);
      continue;
    }
    if (!st.isFile()) continue; // device, subsystem, of_node: links
    if ((st.mode & 0o444) === 0) {
      unreadable.push(name);
      continue;
    }
    const text = readText(path);
    if (text.ok) values[name] = text.value;
    else unreadable.push(name);
  }
  return { values, unreadable };
}

function parseDev(text: string | undefined): CardInfo['devNumber'] {
  const match = text ? /^(\d+):(\d+)$/.exec(text.trim()) : null;
  return match ? { major: Number(match[1]), minor: Number(match[2]) } : null;
}

/**
 * Device, inode and birth time: a re-created directory differs in inode (kernfs never reuses
 * one soon) or birth time (a filesystem that does). Change time would not do: adding or
 * removing a child (an AFU) updates it.
 */
function identityOfDir(dir: string): string | null {
  try {
    const st = statSync(dir, { bigint: true });
    return `${st.dev}:${st.ino}:${st.birthtimeNs}`;
  } catch {
    return null;
  }
}

export function readCard(root: SystemRoot, name: string): CardInfo {
  const number = Number(name.slice(4));
  const sysfsPath = `/sys/class/cxl/${name}`;
  const classEntry = root.path(sysfsPath);
  const resolved = resolveInside(root, classEntry);
  const cardDir = resolved.ok ? resolved.value : classEntry;
  const { values, unreadable } = readAttributes(cardDir);
  const devicePath = `/dev/cxl/${name}`;
  const mode: CardInfo['mode'] =
    'dev' in values
      ? 'guest'
      : 'image_loaded' in values || 'base_image' in values
        ? 'bare-metal'
        : 'unknown';
  return {
    name,
    number,
    sysfsPath,
    devicePath,
    deviceNodePresent: existsSync(root.path(devicePath)),
    devNumber: parseDev(values.dev),
    attributes: values,
    unreadableAttributes: unreadable,
    node: readAdapterNode(root, cardDir),
    afus: readAfus(root, number),
    mode,
    sysfsIdentity: identityOfDir(cardDir),
  };
}

/** Every `/sys/class/cxl/cardN`, by number. */
export function readCards(root: SystemRoot): CardInfo[] {
  const entries = listDir(root.path('/sys/class/cxl'));
  if (!entries.ok) return [];
  return entries.value
    .filter((name) => /^card\d+$/.test(name))
    .map((name) => readCard(root, name))
    .sort((a, b) => a.number - b.number);
}

export function locationCodeOf(card: CardInfo): string | null {
  return card.node.locationCode.ok ? card.node.locationCode.value : null;
}

/** A card by name (`card0`) or by location code (`U78CB.001.WZS0001-P1-C7`). */
export function findCard(cards: readonly CardInfo[], spec: string): CardInfo | undefined {
  const wanted = spec.trim();
  return cards.find((c) => c.name === wanted) ?? cards.find((c) => locationCodeOf(c) === wanted);
}

function describeCards(cards: readonly CardInfo[]): string {
  return cards
    .map((c) => `${shown(c.name)} (${shown(locationCodeOf(c) ?? 'no location code')})`)
    .join(', ');
}

/** The error for a `--card` that matches nothing: it names what exists (exit 2). */
export function cardNotFoundError(cards: readonly CardInfo[], spec: string): UserFacingError {
  if (cards.length === 0)
    return new UserFacingError(
      `No such card ${quoteInput(spec)}: there are no cxl cards on this machine.`,
      ExitCode.BadInput,
      'Run `cxl-flasher doctor` to see whether the cxl driver is loaded and this is a PowerVM guest.',
    );
  return new UserFacingError(
    `No such card ${quoteInput(spec)}; these exist: ${describeCards(cards)}.`,
    ExitCode.BadInput,
    'Pass --card with a card name (card0) or a location code from `cxl-flasher list`.',
  );
}

/**
 * The card a command works on: the one named by `spec`, or the only card when there is one.
 * Throws a UserFacingError (exit 2) when `spec` matches nothing or several cards leave a choice.
 */
export function selectCard(cards: readonly CardInfo[], spec?: string): CardInfo {
  if (spec !== undefined) {
    const card = findCard(cards, spec);
    if (!card) throw cardNotFoundError(cards, spec);
    return card;
  }
  if (cards.length === 1 && cards[0]) return cards[0];
  if (cards.length === 0)
    throw new UserFacingError(
      'There are no cxl cards on this machine.',
      ExitCode.BadInput,
      'Run `cxl-flasher doctor` to see whether the cxl driver is loaded and this is a PowerVM guest.',
    );
  throw new UserFacingError(
    `There are ${cards.length} cards: ${describeCards(cards)}.`,
    ExitCode.BadInput,
    'Pick one with --card NAME or --card LOCATION-CODE.',
  );
}

/**
 * Named fault scenarios for the simulated adapter: `--simulate=NAME[@ARG[:ARG]][,NAME...]`.
 * Call numbers K count the ioctls of one pass from 1. Each fault fires once per run, so a retry
 * in the same run (or a later `recover`) can succeed.
 */
import { ExitCode, UserFacingError } from '../exit-codes.js';
import { EINVAL, ENOMEM } from '../ioctl/errno.js';
import { H_BUSY, H_CONTINUE, H_STATE, H_SUCCESS, HCALL_CODES_BY_NAME } from '../ioctl/hcall.js';
import { quoteInput } from '../terminal-text.js';

export type Pass = 'download' | 'validate';

export interface HcallFault {
  readonly pass: Pass;
  readonly call: number;
  readonly rc: number;
}

export interface LongBusyFault {
  readonly pass: Pass;
  readonly call: number;
  /** how many H_LONG_BUSY_ORDER_1_SEC answers; null: H_LONG_BUSY_ORDER_100_SEC until the driver gives up */
  readonly seconds: number | null;
}

export type ReloadBehaviour = 'same-number' | 'renumber' | 'never';

export interface ScenarioSet {
  /** the scenarios as given, for display */
  readonly names: readonly string[];
  readonly speed: number;
  readonly faults: readonly HcallFault[];
  readonly longBusy: readonly LongBusyFault[];
  /** validate-mismatch: the validate call that meets a corrupted byte; 'last' by default */
  readonly mismatch: number | 'last' | null;
  /** validate-early@K: the validate call the hypervisor answers H_SUCCESS, before the last */
  readonly validateEarly: number | null;
  /**
   * devicetree-update-fail: the errno flash.c's update_devicetree returns after a successful
   * validate (EINVAL: the firmware lacks ibm,update-nodes; ENOMEM: its buffer allocation failed)
   */
  readonly devicetreeUpdateFail: number | null;
  readonly reload: ReloadBehaviour;
  /** the answer to the first call after the 3-second limit was exceeded */
  readonly abandonRc: number;
  readonly factoryFallback: boolean;
  readonly afuInUse: boolean;
  readonly cardHeld: boolean;
  readonly driverAbsent: boolean;
  readonly notGuest: boolean;
  readonly cardNodeDenied: boolean;
  readonly noCards: boolean;
  readonly fresh: boolean;
}

export const NO_SCENARIOS: ScenarioSet = {
  names: [],
  speed: 1,
  faults: [],
  longBusy: [],
  mismatch: null,
  validateEarly: null,
  devicetreeUpdateFail: null,
  reload: 'same-number',
  abandonRc: H_STATE,
  factoryFallback: false,
  afuInUse: false,
  cardHeld: false,
  driverAbsent: false,
  notGuest: false,
  cardNodeDenied: false,
  noCards: false,
  fresh: false,
};

/** Every scenario, its syntax and what it does (the README table is written from this). */
export const SCENARIO_CATALOGUE: readonly { syntax: string; effect: string }[] = [
  {
    syntax: 'speed@N',
    effect: 'divide every simulated duration by N (default 1: a 64 MiB flash takes about a minute)',
  },
  {
    syntax: 'download-fail@K[:CODE]',
    effect: 'the hypervisor answers CODE (default H_HARDWARE) to download call K',
  },
  {
    syntax: 'validate-fail@K[:CODE]',
    effect: 'the hypervisor answers CODE (default H_HARDWARE) to validate call K',
  },
  {
    syntax: 'validate-mismatch[@K]',
    effect: 'a programmed byte is corrupted, so validate call K (default the last) gets H_BAD_DATA',
  },
  {
    syntax: 'validate-early@K',
    effect:
      'the hypervisor answers validate call K H_SUCCESS, before the last call: the kernel takes its success path',
  },
  {
    syntax: 'devicetree-update-fail[@ERRNO]',
    effect:
      'after a successful validate the kernel’s device-tree update fails with ERRNO, EINVAL (the default) or ENOMEM: the last validate call returns -1, yet the card is re-probed on close',
  },
  {
    syntax: 'long-busy@K[:S]',
    effect:
      'download call K is answered H_LONG_BUSY_ORDER_1_SEC S times (default 3) before it proceeds',
  },
  { syntax: 'validate-long-busy@K[:S]', effect: 'the same for validate call K' },
  {
    syntax: 'long-busy-timeout@K',
    effect: 'download call K stays long-busy until the driver gives up after 120 s (EBUSY, WARN)',
  },
  {
    syntax: 'abandon-rc@CODE',
    effect: 'the answer to the first call after the 3-second limit was exceeded (default H_STATE)',
  },
  {
    syntax: 'factory-fallback',
    effect: 'after an aborted download the adapter falls back to its factory image',
  },
  { syntax: 'no-reload', effect: 'after a successful flash the card does not come back' },
  { syntax: 'renumber', effect: 'after a successful flash the card comes back as card N+1' },
  {
    syntax: 'afu-in-use',
    effect: 'a process (PID 4242, user capiuser) holds /dev/cxl/afu0.0m open',
  },
  {
    syntax: 'card-held',
    effect: 'another process (PID 4243) holds /dev/cxl/card0, so open() blocks',
  },
  { syntax: 'driver-absent', effect: 'no cxl module, no /sys/class/cxl, no /dev/cxl' },
  {
    syntax: 'not-guest',
    effect: 'bare metal: no hcall-ca, a bare-metal card and no /dev/cxl/cardN',
  },
  {
    syntax: 'card-node-denied',
    effect: 'the card node is not openable by the (simulated, unprivileged) caller: EACCES',
  },
  { syntax: 'no-cards', effect: 'the driver is loaded in a guest, but there is no card' },
  {
    syntax: 'fresh',
    effect: 'forget the stored adapter state and start from a factory-new adapter',
  },
];

const FIX =
  'Valid scenarios: ' +
  SCENARIO_CATALOGUE.map((s) => s.syntax).join(', ') +
  '. See the README, "The simulator".';

function bad(spec: string, why: string): UserFacingError {
  return new UserFacingError(
    `Bad simulator scenario ${quoteInput(spec)}: ${why}.`,
    ExitCode.BadInput,
    FIX,
  );
}

function positiveInt(spec: string, text: string | undefined, what: string): number {
  if (text === undefined || !/^\d+$/.test(text) || Number(text) < 1)
    throw bad(
      spec,
      `${what} must be a whole number from 1, got ${text === undefined ? 'nothing' : quoteInput(text)}`,
    );
  return Number(text);
}

/** A final hypervisor answer: a name from the hcall table or an integer; never SUCCESS/CONTINUE/BUSY. */
function returnCode(spec: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const rc = /^-?\d+$/.test(text)
    ? Number(text)
    : HCALL_CODES_BY_NAME.get(text.toUpperCase())?.value;
  if (rc === undefined)
    throw bad(
      spec,
      `unknown return code ${quoteInput(text)}; use a name such as H_HARDWARE, H_BAD_DATA, H_AUTHORITY, H_STATE, or a number`,
    );
  if (rc === H_SUCCESS || rc === H_CONTINUE || rc === H_BUSY || (rc >= 9900 && rc <= 9905))
    throw bad(
      spec,
      `${text} is not a failure (for busy answers use long-busy@K or long-busy-timeout@K)`,
    );
  return rc;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer U)[] ? U[] : T[K] };

function apply(set: Mutable<ScenarioSet>, spec: string): void {
  const [name = '', rest] = spec.split('@', 2);
  const args = rest === undefined ? [] : rest.split(':');
  const noArgs = (): void => {
    if (args.length > 0) throw bad(spec, `${name} takes no parameters`);
  };
  switch (name) {
    case 'speed': {
      const speed = Number(args[0]);
      if (args.length !== 1 || !Number.isFinite(speed) || speed <= 0)
        throw bad(spec, 'speed@N needs a positive number');
      set.speed = speed;
      return;
    }
    case 'download-fail':
    case 'validate-fail':
      set.faults.push({
        pass: name === 'download-fail' ? 'download' : 'validate',
        call: positiveInt(spec, args[0], 'K'),
        rc: returnCode(spec, args[1], -1),
      });
      return;
    case 'validate-mismatch':
      set.mismatch = args.length === 0 ? 'last' : positiveInt(spec, args[0], 'K');
      return;
    case 'validate-early':
      set.validateEarly = positiveInt(spec, args[0], 'K');
      return;
    case 'devicetree-update-fail': {
      const errno = { EINVAL, ENOMEM }[(args[0] ?? 'EINVAL').toUpperCase()];
      if (args.length > 1 || errno === undefined)
        throw bad(spec, 'devicetree-update-fail takes EINVAL or ENOMEM');
      set.devicetreeUpdateFail = errno;
      return;
    }
    case 'long-busy':
    case 'validate-long-busy':
      set.longBusy.push({
        pass: name === 'long-busy' ? 'download' : 'validate',
        call: positiveInt(spec, args[0], 'K'),
        seconds: args[1] === undefined ? 3 : positiveInt(spec, args[1], 'S'),
      });
      return;
    case 'long-busy-timeout':
      set.longBusy.push({ pass: 'download', call: positiveInt(spec, args[0], 'K'), seconds: null });
      return;
    case 'abandon-rc':
      if (args.length !== 1) throw bad(spec, 'abandon-rc@CODE needs a return code');
      set.abandonRc = returnCode(spec, args[0], H_STATE);
      return;
  }
  const flags: Record<string, (s: Mutable<ScenarioSet>) => void> = {
    'factory-fallback': (s) => (s.factoryFallback = true),
    'no-reload': (s) => (s.reload = 'never'),
    renumber: (s) => (s.reload = 'renumber'),
    'afu-in-use': (s) => (s.afuInUse = true),
    'card-held': (s) => (s.cardHeld = true),
    'driver-absent': (s) => (s.driverAbsent = true),
    'not-guest': (s) => (s.notGuest = true),
    'card-node-denied': (s) => (s.cardNodeDenied = true),
    'no-cards': (s) => (s.noCards = true),
    fresh: (s) => (s.fresh = true),
  };
  const flag = flags[name];
  if (!flag)
    throw new UserFacingError(
      `Unknown simulator scenario ${quoteInput(name)}.`,
      ExitCode.BadInput,
      FIX,
    );
  noArgs();
  flag(set);
}

/** Parse `--simulate` values; throws a UserFacingError (exit 2) naming the valid scenarios. */
export function parseScenarios(specs: readonly string[]): ScenarioSet {
  const set: Mutable<ScenarioSet> = {
    ...NO_SCENARIOS,
    names: [],
    faults: [],
    longBusy: [],
  };
  for (const raw of specs) {
    const spec = raw.trim();
    if (spec.length === 0) continue;
    apply(set, spec);
    set.names.push(spec);
  }
  if (set.names.includes('no-reload') && set.names.includes('renumber'))
    throw bad('no-reload,renumber', 'a card that never comes back cannot come back renumbered');
  return set;
}

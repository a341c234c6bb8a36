/**
 * What every command needs to know about where it runs, resolved once from the global options:
 * the system root, the state and run directories, and how to open a card device. With
 * --simulate all of them point into the simulator's own tree, so simulated attempts never mix
 * with real ones in a journal.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ExitCode, UserFacingError } from '../exit-codes.js';
import type { DeviceSpec } from '../flash/device-thread/protocol.js';
import type { CardDevice } from '../ioctl/card-device.js';
import { SystemRoot } from '../hardware/system-root.js';
import type { Simulation } from '../sim/simulation.js';
import { ownedDir } from '../safe-fs/owned-dir.js';
import { PathSafetyError } from '../safe-fs/path-safety-error.js';
import { shown } from '../terminal-text.js';

export interface GlobalOptions {
  /** `--simulate` gives '' (no fault scenario), `--simulate=a,b` gives 'a,b' */
  readonly simulate?: string | boolean;
  readonly stateDir?: string;
  readonly color?: boolean;
}

export interface CommandContext {
  readonly root: SystemRoot;
  readonly simulated: boolean;
  /** fault scenarios requested with --simulate=NAME[,NAME...] */
  readonly scenarios: readonly string[];
  /** the simulated adapter with --simulate (its model, notes and scenarios), else null */
  readonly simulation: Simulation | null;
  /** journal and lock (docs/architecture.md §6) */
  readonly stateDir: string;
  /** attach sockets (docs/architecture.md §6) */
  readonly runDir: string;
  /** `path` as processes see it (`/dev/cxl/card0`), never prefixed; in this thread */
  openCardDevice(path: string): Promise<CardDevice>;
  /** what the device thread opens for `path` (`/dev/cxl/card0`) */
  deviceSpec(path: string): DeviceSpec;
  /** release what the context holds (the simulator's timers); idempotent */
  dispose(): Promise<void>;
}

export function parseScenarioList(value: string | boolean | undefined): string[] {
  if (typeof value !== 'string') return [];
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

const isRoot = (): boolean => process.geteuid?.() === 0;

/** `$XDG_STATE_HOME`, or `~/.local/state`. */
export function userStateBase(env: NodeJS.ProcessEnv = process.env): string {
  return env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
}

/** Where the journal and lock live for a real adapter (docs/architecture.md §6). */
export function defaultStateDir(root: SystemRoot, env: NodeJS.ProcessEnv = process.env): string {
  return isRoot() ? root.path('/var/lib/cxl-flasher') : join(userStateBase(env), 'cxl-flasher');
}

export function defaultRunDir(
  root: SystemRoot,
  stateDir: string,
  env: NodeJS.ProcessEnv = process.env,
): string {
  if (isRoot()) return root.path('/run/cxl-flasher');
  return env.XDG_RUNTIME_DIR ? join(env.XDG_RUNTIME_DIR, 'cxl-flasher') : join(stateDir, 'run');
}

/** Where the simulator keeps its model and fake system root. */
export function simulatorDir(options: GlobalOptions, env: NodeJS.ProcessEnv = process.env): string {
  return options.stateDir
    ? join(options.stateDir, 'simulator')
    : join(userStateBase(env), 'cxl-flasher', 'simulator');
}

/**
 * Who holds the flasher's lock in `stateDir` right now, in words, or null. A command that may
 * flash asks flock (it loads koffi for its own lock anyway); a read-only one, which must load no
 * native code, trusts the lock file's details when their PID is alive.
 */
async function flasherHolding(stateDir: string, use: ContextUse): Promise<() => string | null> {
  const lock = await import('../journal/lock.js');
  if (use === 'read')
    return () => {
      const holder = lock.readLockHolder(join(stateDir, lock.LOCK_FILE));
      return holder && pidAlive(holder.pid) ? lock.describeLockHolder(holder) : null;
    };
  const { systemLibc } = await import('../ioctl/libc.js');
  return () => {
    const holder = lock.currentLockHolder(stateDir, systemLibc());
    return holder ? lock.describeLockHolder(holder) : null;
  };
}

function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function simulatedContext(options: GlobalOptions, use: ContextUse): Promise<CommandContext> {
  // Loaded on demand, like koffi: real commands never load the simulator.
  const { openSimulation } = await import('../sim/simulation.js');
  // The state directory is checked (and made, 0700) before the simulator is made inside it.
  let dir = simulatorDir(options);
  let simulation: Simulation;
  try {
    if (options.stateDir) {
      const stateDir = ownedDir(options.stateDir, { create: true, what: 'state directory' });
      dir = join(stateDir, 'simulator');
    }
    simulation = await openSimulation({
      dir,
      scenarios: parseScenarioList(options.simulate),
      setup: use,
      // The state dir as below: the simulator's own /var/lib/cxl-flasher unless one is given.
      flasherBusy: await flasherHolding(
        options.stateDir ?? join(dir, 'root', 'var', 'lib', 'cxl-flasher'),
        use,
      ),
    });
  } catch (error) {
    if (error instanceof UserFacingError) throw error;
    // Its folder cannot be written (a read-only or full disk, a file in the way): say so.
    const code = (error as NodeJS.ErrnoException | null)?.code;
    const text = error instanceof Error ? error.message : String(error);
    throw new UserFacingError(
      `The simulator cannot keep its adapter in ${shown(dir)}: ${code && !text.includes(code) ? `${text} (${code})` : text}.`,
      ExitCode.PreflightRefused,
      options.stateDir
        ? `Give a writable folder with --state-dir (the simulator lives in DIR/simulator); ${shown(options.stateDir)} cannot hold it.`
        : 'Make that folder writable, or give another with --state-dir DIR.',
    );
  }
  const root = simulation.root;
  let stateDir: string;
  let runDir: string;
  try {
    stateDir = checkedStateDir(options.stateDir ?? root.path('/var/lib/cxl-flasher'));
    runDir = checkedRunDir(root.path('/run/cxl-flasher'));
  } catch (error) {
    await simulation.dispose();
    throw error;
  }
  return {
    root,
    simulated: true,
    scenarios: simulation.scenarios.names,
    simulation,
    stateDir,
    runDir,
    async openCardDevice(path) {
      return simulation.openCardDevice(path);
    },
    deviceSpec: (path) => ({
      kind: 'simulated',
      path,
      dir: simulation.dir,
      scenarios: simulation.scenarios.names,
      firedFaults: simulation.firedFaults(),
    }),
    dispose: () => simulation.dispose(),
  };
}

/**
 * `path` checked as far as it exists (whoever writes there makes the rest, 0700). An unsafe
 * folder is refused here; one that merely cannot be read is said by the command that needs it.
 */
function checked(path: string, what: string): string {
  try {
    return ownedDir(path, { create: false, what });
  } catch (error) {
    if (error instanceof PathSafetyError) throw error;
    return path;
  }
}
const checkedStateDir = (path: string): string => checked(path, 'state directory');
const checkedRunDir = (path: string): string => checked(path, 'run folder');

/** `flash`: the command may flash (the simulator's setup is kept until its device opens). */
export type ContextUse = 'flash' | 'read';

export async function resolveContext(
  options: GlobalOptions,
  use: ContextUse = 'read',
): Promise<CommandContext> {
  if (options.stateDir === '')
    throw new UserFacingError(
      '--state-dir was given an empty path.',
      ExitCode.BadInput,
      'Give the folder for the journal and the lock: --state-dir DIR (or leave the option out).',
    );
  if (options.simulate !== undefined && options.simulate !== false)
    return simulatedContext(options, use);
  const root = new SystemRoot('/');
  const stateDir = checkedStateDir(options.stateDir ?? defaultStateDir(root));
  return {
    root,
    simulated: false,
    scenarios: [],
    simulation: null,
    stateDir,
    runDir: checkedRunDir(defaultRunDir(root, stateDir)),
    async openCardDevice(path) {
      // Loaded on demand: commands that never flash do not load koffi.
      const { IoctlCardDevice } = await import('../ioctl/ioctl-card-device.js');
      return new IoctlCardDevice(root.path(path));
    },
    deviceSpec: (path) => ({ kind: 'kernel', path: root.path(path) }),
    async dispose() {},
  };
}

/**
 * What every command needs to know about where it runs, resolved once from the global options:
 * the system root, the state and run directories, and how to open a card device. With
 * --simulate all of them point into the simulator's own tree, so simulated attempts never mix
 * with real ones in a journal.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ExitCode, UserFacingError } from '../exit-codes.js';
import type { CardDevice } from '../ioctl/card-device.js';
import { SystemRoot } from '../hardware/system-root.js';
import type { Simulation } from '../sim/simulation.js';

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
  /** `path` as processes see it (`/dev/cxl/card0`), never prefixed */
  openCardDevice(path: string): Promise<CardDevice>;
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

async function simulatedContext(options: GlobalOptions): Promise<CommandContext> {
  // Loaded on demand, like koffi: real commands never load the simulator.
  const { openSimulation } = await import('../sim/simulation.js');
  const dir = simulatorDir(options);
  let simulation: Simulation;
  try {
    simulation = await openSimulation({ dir, scenarios: parseScenarioList(options.simulate) });
  } catch (error) {
    if (error instanceof UserFacingError) throw error;
    // Its folder cannot be written (a read-only or full disk, a file in the way): say so.
    const code = (error as NodeJS.ErrnoException | null)?.code;
    const text = error instanceof Error ? error.message : String(error);
    throw new UserFacingError(
      `The simulator cannot keep its adapter in ${dir}: ${code && !text.includes(code) ? `${text} (${code})` : text}.`,
      ExitCode.PreflightRefused,
      options.stateDir
        ? `Give a writable folder with --state-dir (the simulator lives in DIR/simulator); ${options.stateDir} cannot hold it.`
        : 'Make that folder writable, or give another with --state-dir DIR.',
    );
  }
  const root = simulation.root;
  return {
    root,
    simulated: true,
    scenarios: simulation.scenarios.names,
    simulation,
    stateDir: options.stateDir ?? root.path('/var/lib/cxl-flasher'),
    runDir: root.path('/run/cxl-flasher'),
    async openCardDevice(path) {
      return simulation.openCardDevice(path);
    },
    dispose: () => simulation.dispose(),
  };
}

export async function resolveContext(options: GlobalOptions): Promise<CommandContext> {
  if (options.simulate !== undefined && options.simulate !== false)
    return simulatedContext(options);
  const root = new SystemRoot('/');
  const stateDir = options.stateDir ?? defaultStateDir(root);
  return {
    root,
    simulated: false,
    scenarios: [],
    simulation: null,
    stateDir,
    runDir: defaultRunDir(root, stateDir),
    async openCardDevice(path) {
      // Loaded on demand: commands that never flash do not load koffi.
      const { IoctlCardDevice } = await import('../ioctl/ioctl-card-device.js');
      return new IoctlCardDevice(root.path(path));
    },
    async dispose() {},
  };
}

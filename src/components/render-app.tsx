/**
 * How the commands mount the UI. Every mount uses the same Ink options (docs/terminal-notes.md §3):
 * Ctrl-C and Ctrl-Z arrive as keys (exitOnCtrlC false) and go to the wizard's actions, console
 * output is left alone, and writes are throttled to 10 frames a second.
 *
 * Incremental rendering stays OFF on purpose; frame-diff.ts does its job instead, on the
 * standard renderer's output (only the changed cells reach the terminal). Ink 6.8's incremental writer rewinds the cursor
 * one row short for every frame that ends in a newline (ours always do: the frame is one row
 * shorter than the terminal), so each refresh lands a row lower and leaves stale lines behind
 * (ink#909, fixed by c32da0b in Ink 7.0, which needs Node 22). test/components/terminal.test.ts
 * replays both renderers on a virtual terminal: the full-frame one is exact, the incremental
 * one leaves a second header. Turn it on again with Ink 7.
 */
import { render, type Instance, type RenderOptions } from 'ink';
import type { ReactElement } from 'react';
import { App } from '../app.js';
import type { RecoveryChoice, WizardActions } from '../flash/actions.js';
import type { RecoveryVerdict } from '../journal/recovery.js';
import type { Attempt } from '../journal/records.js';
import type { StatusSnapshot } from '../report/status-snapshot.js';
import type { FlashStore } from '../store.js';
import { outputChannel } from '../report/output-channel.js';
import { withFrameDiffing } from './frame-diff.js';
import { chooseGlyphs, type Glyphs } from './glyphs.js';
import type { RunningAttempt } from './history-text.js';
import { Providers } from './Providers.js';
import { screenOnChannel } from './screen-output.js';
import { HistoryRoot, RecoveryRoot, StatusRoot } from './StandaloneScreens.js';
import { adoptAsciiFigures } from './theme.js';

export const INK_OPTIONS = {
  exitOnCtrlC: false,
  patchConsole: false,
  maxFps: 10,
  incrementalRendering: false,
} as const satisfies RenderOptions;

export interface MountOptions {
  readonly stdout?: NodeJS.WriteStream;
  readonly stdin?: NodeJS.ReadStream;
  readonly stderr?: NodeJS.WriteStream;
  /** default: chosen from TERM (ASCII on dumb and linux consoles) */
  readonly glyphs?: Glyphs;
}

/** The glyph set (chosen once) and the streams to render on. */
function prepare(options: MountOptions): {
  glyphs: Glyphs;
  streams: Pick<RenderOptions, 'stdout' | 'stdin' | 'stderr'>;
} {
  const { glyphs = chooseGlyphs(process.env), ...streams } = options;
  adoptAsciiFigures(glyphs);
  return { glyphs, streams };
}

function mount(tree: (glyphs: Glyphs) => ReactElement, options: MountOptions): Instance {
  const { glyphs, streams } = prepare(options);
  // The process's own terminal never blocks the program; a test's stream is written as is.
  const stdout = streams.stdout
    ? withFrameDiffing(streams.stdout)
    : screenOnChannel(process.stdout, outputChannel(1));
  return render(tree(glyphs), { ...INK_OPTIONS, ...streams, stdout });
}

/** The interactive wizard. The caller's `actions.exit()` decides when to unmount. */
export function renderWizard(
  store: FlashStore,
  actions: WizardActions,
  options: MountOptions = {},
): Instance {
  return mount((glyphs) => <App store={store} actions={actions} glyphs={glyphs} />, options);
}

/**
 * `attach`: the same screens, read-only, on a store rebuilt from another process's events
 * (`createFlashStore({ observer: true })`). No key acts on the flash; q, Esc and Ctrl-C call
 * `onLeave` (by default: unmount, which resolves `waitUntilExit`).
 */
export function renderObserver(
  store: FlashStore,
  options: MountOptions & { readonly onLeave?: () => void } = {},
): Instance {
  if (!store.getState().observer) store.setState({ observer: true });
  let instance: Instance | null = null;
  const leave = (): void => (options.onLeave ? options.onLeave() : instance?.unmount());
  const ignore = (): void => {};
  const actions: WizardActions = {
    chooseRecovery: ignore,
    selectAdapter: ignore,
    chooseImage: ignore,
    confirmFlash: ignore,
    back: ignore,
    interrupt: leave,
    confirmInterrupt: ignore,
    dismissInterrupt: ignore,
    suspend: ignore,
    exit: leave,
  };
  const { onLeave: _l, ...rest } = options;
  instance = renderWizard(store, actions, rest);
  return instance;
}

export interface StatusView {
  readonly instance: Instance;
  /** show a newer snapshot (status --watch) */
  update(snapshot: StatusSnapshot): void;
  /** resolves when the user quits (q, Esc, Ctrl-C) */
  readonly closed: Promise<void>;
}

/** `status [--watch]`; the command refreshes it with `update`. */
export function renderStatus(
  snapshot: StatusSnapshot,
  options: MountOptions & { readonly watch?: boolean } = {},
): StatusView {
  const { watch = false, ...rest } = options;
  const { glyphs, streams } = prepare(rest);
  const tree = (s: StatusSnapshot): ReactElement => (
    <Providers glyphs={glyphs}>
      <StatusRoot snapshot={s} watch={watch} />
    </Providers>
  );
  const instance = render(tree(snapshot), { ...INK_OPTIONS, ...streams });
  return {
    instance,
    update: (next) => instance.rerender(tree(next)),
    closed: instance.waitUntilExit().then(() => undefined),
  };
}

/**
 * `history`: resolves when the user quits. `running`: the attempt a live flasher runs now, as
 * the command found it in the lock, so the screen says "in progress" like `history` text does.
 */
export async function showHistory(
  attempts: readonly Attempt[],
  options: MountOptions & {
    readonly simulated?: boolean;
    readonly running?: RunningAttempt | null;
  } = {},
): Promise<void> {
  const { simulated = false, running = null, ...rest } = options;
  const instance = mount(
    (glyphs) => (
      <Providers glyphs={glyphs}>
        <HistoryRoot attempts={attempts} running={running} simulated={simulated} />
      </Providers>
    ),
    rest,
  );
  await instance.waitUntilExit();
}

/** `recover`: shows the verdict and resolves with the user's choice ('quit' on q or Ctrl-C). */
export async function promptRecovery(
  verdict: RecoveryVerdict,
  options: MountOptions = {},
): Promise<RecoveryChoice> {
  const instance = mount(
    (glyphs) => (
      <Providers glyphs={glyphs}>
        <RecoveryRoot verdict={verdict} />
      </Providers>
    ),
    options,
  );
  const choice = await instance.waitUntilExit();
  return choice === 'reflash' || choice === 'continue' ? choice : 'quit';
}

/**
 * The zustand vanilla store (docs/architecture.md §2): data only, no side effects. The engine publishes
 * into it by applying its own events (`applyEvent`), so the wizard, `attach` (which rebuilds a
 * store from the socket's events) and `--json` all see the same facts. A few fields are UI
 * state the engine sets directly (the interrupt prompt, transient notices).
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type {
  CardSummary,
  CtrlCPolicy,
  ErrorDetails,
  FlashEvent,
  FlashPlan,
  Phase,
  ReloadSnapshot,
  ResultDetails,
  TransferSnapshot,
} from './flash/events.js';
import type { PreflightCheck } from './hardware/types.js';
import type { RecoveryVerdict } from './journal/recovery.js';

export type ImageInfo = Omit<Extract<FlashEvent, { event: 'image' }>, 'event' | 'time'>;

export interface StoredWarning {
  readonly code: string;
  readonly message: string;
  readonly time: string;
}

export interface FlashState {
  readonly simulated: boolean;
  readonly command: string | null;
  readonly startedAt: string | null;
  readonly phase: Phase;
  readonly ctrlC: CtrlCPolicy;
  readonly cards: readonly CardSummary[];
  readonly card: CardSummary | null;
  readonly image: ImageInfo | null;
  readonly hashing: { readonly bytes: number; readonly totalBytes: number } | null;
  readonly preflight: readonly PreflightCheck[];
  /** current versus new, and what a flash would do */
  readonly plan: FlashPlan | null;
  /** the latest snapshot of each pass */
  readonly transfer: { readonly download?: TransferSnapshot; readonly validate?: TransferSnapshot };
  readonly reload: ReloadSnapshot | null;
  readonly warnings: readonly StoredWarning[];
  readonly error: ErrorDetails | null;
  readonly result: ResultDetails | null;
  /** UI state: the Ctrl-C confirmation is open */
  readonly interruptPrompt: boolean;
  /** UI state: a short-lived notice (e.g. "Ctrl-Z is refused during the transfer") */
  readonly notice: string | null;
  /** a store rebuilt from another process's events (attach): read-only */
  readonly observer: boolean;
  /** UI state: the recovery verdict shown before anything else (docs/architecture.md §3.1) */
  readonly recovery: RecoveryVerdict | null;
  /** UI state: image files the path entry offers for completion */
  readonly imageCandidates: readonly string[];
}

export const INITIAL_CTRL_C: CtrlCPolicy = {
  action: 'quit',
  description: 'Ctrl-C quits; the adapter has not been touched.',
};

export function initialFlashState(overrides: Partial<FlashState> = {}): FlashState {
  return {
    simulated: false,
    command: null,
    startedAt: null,
    phase: 'starting',
    ctrlC: INITIAL_CTRL_C,
    cards: [],
    card: null,
    image: null,
    hashing: null,
    preflight: [],
    plan: null,
    transfer: {},
    reload: null,
    warnings: [],
    error: null,
    result: null,
    interruptPrompt: false,
    notice: null,
    observer: false,
    recovery: null,
    imageCandidates: [],
    ...overrides,
  };
}

/** Keep the warning list bounded; the journal and the event stream keep them all. */
const MAX_WARNINGS = 50;

/** The state after one event. Pure. */
export function applyEvent(state: FlashState, event: FlashEvent): FlashState {
  switch (event.event) {
    case 'start':
      return {
        ...state,
        simulated: event.simulated,
        command: event.command,
        startedAt: event.time,
      };
    case 'phase':
      return { ...state, phase: event.phase, ctrlC: event.ctrlC, interruptPrompt: false };
    case 'adapters':
      return { ...state, cards: event.cards };
    case 'adapter':
      return { ...state, card: event.card };
    case 'hashing':
      return { ...state, hashing: { bytes: event.bytes, totalBytes: event.totalBytes } };
    case 'image': {
      const { event: _e, time: _t, ...image } = event;
      return { ...state, image, hashing: null };
    }
    case 'preflight':
      return { ...state, preflight: event.checks };
    case 'plan': {
      const { event: _e, time: _t, ...plan } = event;
      return { ...state, plan };
    }
    case 'progress': {
      const { event: _e, time: _t, ...snapshot } = event;
      return { ...state, transfer: { ...state.transfer, [snapshot.phase]: snapshot } };
    }
    case 'reload': {
      const { event: _e, time: _t, ...snapshot } = event;
      return { ...state, reload: snapshot };
    }
    case 'warning': {
      const warning = { code: event.code, message: event.message, time: event.time };
      return { ...state, warnings: [...state.warnings, warning].slice(-MAX_WARNINGS) };
    }
    case 'error': {
      const { event: _e, time: _t, ...error } = event;
      return { ...state, error };
    }
    case 'result': {
      const { event: _e, time: _t, ...result } = event;
      return { ...state, result, interruptPrompt: false };
    }
    default:
      return assertNever(event);
  }
}

export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}

export type FlashStore = StoreApi<FlashState>;

/** A fresh store; one per run (and per test). */
export function createFlashStore(initial: Partial<FlashState> = {}): FlashStore {
  return createStore<FlashState>()(() => initialFlashState(initial));
}

/** Apply an event to a store. */
export function publish(store: FlashStore, event: FlashEvent): void {
  store.setState((state) => applyEvent(state, event), true);
}

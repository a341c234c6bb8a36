/**
 * Plain mode (no terminal, or CI): progress lines on stderr at a modest rate (per phase change
 * and about every 5 %), no escape sequences, the final result line on stdout (docs/architecture.md §4).
 */
import type { EventBus } from '../flash/event-bus.js';
import type { FlashEvent } from '../flash/events.js';
import { planLines } from './plan-text.js';
import { shown } from '../terminal-text.js';
import { formatBytes, formatClock, formatId, formatMs, formatRate, percent } from './format.js';

const STEP_PERCENT = 5;

export interface PlainOutput {
  /** `replaceable`: a progress figure that a newer one may replace while output is stalled */
  progress(line: string, replaceable?: boolean): void;
  result(line: string): void;
}

/** `--quiet`: only the result line and errors. */
export interface PlainFilter {
  readonly quiet?: boolean;
}

export interface PlainState {
  /** per pass, the percentage of the last progress line printed since its `phase` event */
  readonly lastPercent: Map<string, number>;
  /** the latest `phase` event's phase */
  phase?: string | null;
}

export function plainLine(event: FlashEvent, state: PlainState): string | null {
  switch (event.event) {
    case 'start':
      return `cxl-flasher ${event.tool.version} ${event.command}${event.simulated ? ' on the SIMULATED adapter' : ''}`;
    case 'adapters':
      return `found ${event.cards.length} card${event.cards.length === 1 ? '' : 's'}`;
    case 'adapter': {
      const c = event.card;
      return `adapter ${shown(c.name)} at ${shown(c.locationCode ?? 'unknown location')}: vendor ${formatId(c.vendorId)} device ${formatId(c.deviceId)} subsystem ${formatId(c.subsystemVendorId)}:${formatId(c.subsystemId)}, PSL revision ${c.pslRevision ?? 'unknown'}`;
    }
    case 'hashing':
      return null;
    case 'image':
      return `image ${shown(event.path)}: ${formatBytes(event.size)}, sha256 ${event.sha256}, ${event.format}, ${event.callsPerPass} calls per pass`;
    case 'preflight': {
      const notPassed = event.checks.filter((c) => c.status !== 'pass');
      const lines = notPassed.map(
        (c) => `preflight ${c.status}: ${c.label}: ${c.message}${c.fix ? ` (fix: ${c.fix})` : ''}`,
      );
      return [
        `preflight: ${event.checks.length - notPassed.length} of ${event.checks.length} checks passed`,
        ...lines,
      ].join('\n');
    }
    case 'plan':
      return planLines(event);
    case 'phase':
      state.phase = event.phase;
      state.lastPercent.delete(event.phase);
      // No keys in plain mode: the summary's "Ctrl-C or q exits" is for the wizard's screen.
      if (event.ctrlC.action === 'exit') return null;
      return `phase ${event.phase}: ${event.ctrlC.description}`;
    case 'progress': {
      // a line about a pass that is over would read as going backwards
      if (state.phase != null && event.phase !== state.phase) return null;
      const pct = percent(event.bytes, event.totalBytes);
      const previous = state.lastPercent.get(event.phase);
      const done = event.call === event.calls;
      if (previous !== undefined && pct - previous < STEP_PERCENT && !done) return null;
      if (previous === pct) return null;
      state.lastPercent.set(event.phase, pct);
      return `${event.phase} ${String(pct).padStart(3)}%  call ${event.call}/${event.calls}  ${formatBytes(event.bytes)} of ${formatBytes(event.totalBytes)}  ${formatRate(event.rateBytesPerSec)}  ETA ${formatClock(event.etaSec)}  largest gap ${formatMs(event.largestGapMs)}`;
    }
    case 'reload':
      return null;
    case 'warning':
      return `warning: ${event.message}`;
    case 'error': {
      const where = event.call === null ? event.phase : `${event.phase} call ${event.call + 1}`;
      const hcall = event.hcall
        ? ` Hypervisor: ${event.hcall.name} (${event.hcall.rc}): ${event.hcall.meaning}.`
        : '';
      return `error in ${where}: ${event.errnoName ?? 'failure'}: ${event.meaning}${hcall} ${event.action} Adapter: ${event.adapterState}`;
    }
    case 'result':
      return null;
  }
}

function resultLine(event: Extract<FlashEvent, { event: 'result' }>): string {
  const total = event.durationsMs.total;
  const parts = [
    `${event.outcome} (exit ${event.exitCode}): ${event.message.replace(/\.$/, '')}`,
    event.journalId ? `journal ${event.journalId}` : null,
    total !== undefined ? `total ${formatMs(total)}` : null,
    event.largestGapMs !== null ? `largest gap ${formatMs(event.largestGapMs)}` : null,
  ].filter(Boolean);
  return `${parts.join('; ')}${event.exitCode === 0 ? '' : `\nnext: ${event.nextStep}`}`;
}

/** A function that prints each event as plain mode does (also used by `attach`). */
export function createPlainPrinter(
  output: PlainOutput,
  filter: PlainFilter = {},
): (event: FlashEvent) => void {
  const state: PlainState & { reloadState: string } = {
    lastPercent: new Map<string, number>(),
    phase: null,
    reloadState: '',
  };
  return (event) => {
    if (event.event === 'result') {
      output.result(resultLine(event));
      return;
    }
    if (filter.quiet && event.event !== 'error') return; // --quiet: the result and errors
    if (event.event === 'reload') {
      if (event.state === state.reloadState) return;
      state.reloadState = event.state;
      output.progress(`reload: ${event.message}`);
      return;
    }
    const line = plainLine(event, state);
    if (line !== null) output.progress(line, event.event === 'progress');
  };
}

export function attachPlainReporter(
  bus: EventBus,
  output: PlainOutput,
  filter: PlainFilter = {},
): () => void {
  return bus.subscribe(createPlainPrinter(output, filter));
}

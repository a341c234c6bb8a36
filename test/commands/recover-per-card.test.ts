/**
 * `recover` and the wizard's start screen judge each card by its own last attempt
 * (docs/architecture.md §3.1, §7): an abort on the simulated card is not hidden by a later
 * success on another card.
 * The simulator has one card, so the other card exists only in synthetic journal lines.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Wizard } from '../../src/flash/wizard.js';
import { runCli } from '../helpers/cli.js';
import { engineRun, type EngineRun } from '../helpers/engine.js';

/** The simulated card's location code, and one that is not on this machine. */
const SIM_LOC = 'U78CB.001.WZS0001-P1-C7';
const OTHER_LOC = 'U78CB.001.WZS0001-P1-C9';

const start = (id: string, minute: number, name: string, loc: string) => ({
  type: 'start',
  id,
  time: `2026-11-25T07:${String(minute).padStart(2, '0')}:00.000Z`,
  pid: 1,
  user: 'ops',
  host: 'lpar7',
  sshClient: null,
  tty: null,
  toolVersion: '0.1.0',
  simulated: true,
  card: {
    name,
    locationCode: loc,
    vendorId: 4116,
    deviceId: 1143,
    subsystemVendorId: 4116,
    subsystemId: 1231,
    pslRevision: 12,
  },
  image: { path: `/img/${id}.bin`, size: 3_000_000, sha256: 'ab'.repeat(32), payloadOffset: 0 },
  callsPerPass: 3,
});
const progress = (id: string, phase: string, call: number) => ({
  type: 'progress',
  id,
  time: 't',
  phase,
  call,
  calls: 3,
  bytes: call * 1_048_576,
  largestGapMs: 1,
});
const terminal = (id: string, type: string, phase: string, exitCode: number) => ({
  type,
  id,
  time: 't',
  phase,
  call: 1,
  errno: null,
  errnoName: null,
  hcall: null,
  largestGapMs: 1,
  exitCode,
  message: type,
});

/** card0 aborted mid-download, then (after a reload renumbered things) a success elsewhere. */
const JOURNAL = [
  start('a-abort', 1, 'card0', SIM_LOC),
  progress('a-abort', 'download', 1),
  terminal('a-abort', 'aborted', 'download', 130),
  start('b-ok', 2, 'card0', OTHER_LOC),
  progress('b-ok', 'reload', 0),
  terminal('b-ok', 'success', 'reload', 0),
]
  .map((r) => JSON.stringify(r))
  .join('\n');

let dir: string;
let run: EngineRun | null = null;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cxl-recover-cards-'));
  writeFileSync(join(dir, 'journal.jsonl'), `${JOURNAL}\n`);
});
afterEach(async () => {
  await run?.dispose();
  run = null;
  rmSync(dir, { recursive: true, force: true });
});

describe('recovery per card', () => {
  it('recover --json: the aborted card, not the later success on another one', async () => {
    const r = await runCli(['--simulate', '--state-dir', dir, 'recover', '--json']);
    expect(r.code).toBe(0);
    const v = JSON.parse(r.stdout) as {
      kind: string;
      needsAttention: boolean;
      attempt: { start: { id: string } };
      next: { command: string };
      otherCards: unknown[];
    };
    // The simulated adapter (fresh) reports its factory image: the words follow the adapter.
    expect(v.kind).toBe('factory-image');
    expect(v.needsAttention).toBe(true);
    expect(v.attempt.start.id).toBe('a-abort');
    expect(v.next.command).toContain(`--card ${SIM_LOC}`);
    expect(v.otherCards).toEqual([]);
  });

  it('recover: says what happened on that card', async () => {
    const r = await runCli(['--simulate', '--state-dir', dir, 'recover']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/What happened: The attempt a-abort .* ended aborted/);
    expect(r.stdout).toMatch(/The adapter now: card0 runs its factory image/);
  });

  it('recover --card takes a card only the journal knows: one that is not on the machine now', async () => {
    const r = await runCli(['--simulate', '--state-dir', dir, 'recover', '--card', OTHER_LOC]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/b-ok/);
  });

  it('the wizard opens on the recovery screen, offering to re-flash that card', async () => {
    run = await engineRun([], { dir, interactive: true });
    const wizard = new Wizard(run.controller, run.services, { imageSearchDirs: [] });
    wizard.start();
    const state = run.controller.store.getState();
    expect(run.controller.currentPhase).toBe('recovery');
    expect(state.recovery?.kind).toBe('factory-image');
    expect(state.recovery?.attempt?.start.id).toBe('a-abort');
    expect(state.recovery?.next.action).toBe('reflash');
  });
});

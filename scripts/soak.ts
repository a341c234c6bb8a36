/**
 * The soak: many simulated flashes through the built CLI at high speed, with random faults,
 * random signals (SIGINT twice, SIGTERM, SIGHUP, SIGKILL), attach clients that connect and stop
 * reading, and pairs started at the same moment on one simulator. Then it checks what every run
 * left: one terminal record per attempt (none only for a SIGKILLed flasher), each equal to the
 * exit code seen, `history` counting the same, `status` clean, no process, socket or lock left,
 * and no run longer than its bound. Seeded and reproducible; prints its figures.
 *
 *   npx tsx scripts/soak.ts [--runs 200] [--seed 15] [--lanes 2] [--bound-ms 30000]
 *
 * Exit 0 when every check holds, 1 otherwise. Needs `npm run build` first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sampleImageBytes } from '../src/sim/sample-image.js';

const CLI = resolve('dist/cli.js');

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at > 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a number`);
  return value;
}

/** mulberry32: a small seeded PRNG, so a failing soak can be run again exactly. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FAULTS = [
  '',
  '',
  '',
  'download-fail@1:H_PARAMETER',
  'download-fail@2:H_HARDWARE',
  'validate-fail@2:H_RESOURCE',
  'validate-mismatch',
  'factory-fallback',
  'renumber',
  'no-reload',
] as const;
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGKILL'] as const;
type Kind = 'plain' | 'signal' | 'observers' | 'pair';

interface Run {
  readonly lane: number;
  readonly kind: Kind;
  readonly fault: string;
  readonly signal: string | null;
  readonly child: ChildProcess;
  code: number | null;
  exitSignal: string | null;
  result: { journalId: string | null; exitCode: number; outcome: string; message: string } | null;
  /** resolves at the first line the flasher prints (its handlers are installed by then) */
  readonly talking: Promise<void>;
  ms: number;
  overBound: boolean;
}

interface Figures {
  runs: number;
  kinds: Record<string, number>;
  faults: Record<string, number>;
  signals: Record<string, number>;
  stalledObservers: number;
  /** signals sent while the flasher still ran (the rest came after it had ended) */
  signalsDelivered: Record<string, number>;
  exitCodes: Record<string, number>;
  /** why runs were refused (exit 3), by the first words of the result */
  refusals: Record<string, number>;
  longestRunMs: number;
}

function flash(
  lane: number,
  dir: string,
  image: string,
  kind: Kind,
  fault: string,
  signal: string | null,
  boundMs: number,
): { run: Run; done: Promise<Run> } {
  // A signalled run goes slower (about 1 s of flashing), so most signals land mid-flash.
  const simulate = [signal ? 'speed@8' : 'speed@50', ...(fault ? [fault] : [])].join(',');
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      CLI,
      `--simulate=${simulate}`,
      '--state-dir',
      dir,
      'flash',
      image,
      '--yes',
      '--force',
      '--json',
    ].concat(['--reload-timeout', '2']),
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } },
  );
  let talked: () => void = () => {};
  const talking = new Promise<void>((r) => (talked = r));
  const run: Run = {
    lane,
    kind,
    fault,
    signal,
    child,
    code: null,
    exitSignal: null,
    result: null,
    ms: 0,
    overBound: false,
    talking,
  };
  let out = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    talked();
  });
  child.stderr?.resume();
  const bound = setTimeout(() => {
    run.overBound = true;
    child.kill('SIGKILL');
  }, boundMs);
  const done = new Promise<Run>((resolveRun) =>
    child.on('close', (code, sig) => {
      clearTimeout(bound);
      run.code = code;
      run.exitSignal = sig;
      run.ms = performance.now() - started;
      for (const line of out.split('\n')) {
        if (!line.includes('"event":"result"')) continue;
        try {
          run.result = JSON.parse(line) as Run['result'];
        } catch {
          // a torn last line (SIGKILL mid-write): no result
        }
      }
      resolveRun(run);
    }),
  );
  return { run, done };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Connect `count` clients to the flash's socket as soon as it is there, and never read. */
async function stallObservers(
  runDir: string,
  count: number,
  until: Promise<unknown>,
): Promise<Socket[]> {
  let over = false;
  void until.then(() => (over = true));
  // card0, or card1 after a renumbering reload
  const socketNow = (): string | undefined =>
    existsSync(runDir) ? readdirSync(runDir).find((n) => n.endsWith('.sock')) : undefined;
  while (!over && !socketNow()) await sleep(20);
  const path = join(runDir, socketNow() ?? 'card0.sock');
  const sockets: Socket[] = [];
  for (let i = 0; i < count && !over; i++) {
    const s = connect(path);
    s.on('error', () => {});
    s.on('connect', () => s.pause());
    sockets.push(s);
  }
  return sockets;
}

async function lane(
  index: number,
  flashes: number,
  random: () => number,
  boundMs: number,
  figures: Figures,
): Promise<{ dir: string; runs: Run[] }> {
  const dir = mkdtempSync(join(tmpdir(), `cxl-soak-${index}-`));
  const image = join(dir, 'image.bin');
  writeFileSync(image, sampleImageBytes(1024 * 1024));
  const runDir = join(dir, 'simulator', 'root', 'run', 'cxl-flasher');
  const runs: Run[] = [];
  let started = 0;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  while (started < flashes) {
    const roll = random();
    const kind: Kind =
      roll < 0.35 ? 'plain' : roll < 0.7 ? 'signal' : roll < 0.85 ? 'observers' : 'pair';
    // After a card that never came back (no-reload), a factory-new adapter: else every later
    // run is refused for want of a card, which the soak would then only count.
    const fresh = runs.slice(-2).some((r) => r.fault.includes('no-reload')) ? 'fresh,' : '';
    const fault = `${fresh}${pick(FAULTS)}`.replace(/,$/, '');
    figures.kinds[kind] = (figures.kinds[kind] ?? 0) + 1;
    if (kind === 'pair' && started + 2 <= flashes) {
      const a = flash(index, dir, image, kind, fault, null, boundMs);
      const b = flash(index, dir, image, kind, pick(FAULTS), null, boundMs);
      started += 2;
      runs.push(...(await Promise.all([a.done, b.done])));
      continue;
    }
    const signal = kind === 'signal' ? pick(SIGNALS) : null;
    const f = flash(index, dir, image, kind, fault, signal, boundMs);
    started += 1;
    if (signal) {
      const delay = Math.floor(random() * 1200);
      void f.run.talking
        .then(() => sleep(delay))
        .then(() => {
          if (f.run.child.exitCode !== null || f.run.child.signalCode !== null) return;
          f.run.child.kill(signal as NodeJS.Signals);
          figures.signalsDelivered[signal] = (figures.signalsDelivered[signal] ?? 0) + 1;
          // Headless Ctrl-C asks for a second one within 5 s to abort.
          if (signal === 'SIGINT') void sleep(100).then(() => f.run.child.kill('SIGINT'));
        });
    }
    let sockets: Socket[] = [];
    if (kind === 'observers') {
      const count = 1 + Math.floor(random() * 6);
      figures.stalledObservers += count;
      sockets = await stallObservers(runDir, count, f.done);
    }
    runs.push(await f.done);
    for (const s of sockets) s.destroy();
  }
  return { dir, runs };
}

interface JournalLine {
  readonly type: string;
  readonly id: string;
  readonly pid?: number;
  readonly exitCode?: number;
}

function cli(args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolveCli) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.on('close', (code) => resolveCli({ code, stdout }));
  });
}

function alive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Every check over one lane; returns the problems found, in words. */
async function check(dir: string, runs: Run[]): Promise<string[]> {
  const problems: string[] = [];
  const lines = readFileSync(join(dir, 'journal.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as JournalLine);
  const starts = lines.filter((l) => l.type === 'start');
  const terminals = new Map<string, JournalLine[]>();
  for (const l of lines)
    if (l.type !== 'start' && l.type !== 'progress')
      terminals.set(l.id, [...(terminals.get(l.id) ?? []), l]);
  const byPid = new Map(runs.map((r) => [r.child.pid, r]));
  for (const s of starts) {
    const ends = terminals.get(s.id) ?? [];
    const run = byPid.get(s.pid);
    if (ends.length > 1) problems.push(`attempt ${s.id} has ${ends.length} terminal records`);
    if (ends.length === 0 && run?.exitSignal !== 'SIGKILL')
      problems.push(
        `attempt ${s.id} has no terminal record, yet its flasher ended ${run?.exitSignal ?? run?.code}, not by SIGKILL`,
      );
  }
  for (const run of runs) {
    if (run.overBound) problems.push(`a ${run.kind} run (${run.fault}) ran past its bound`);
    if (alive(run.child.pid)) problems.push(`PID ${run.child.pid} is still running`);
    if (run.exitSignal === 'SIGKILL') continue;
    // A signal that arrives before Node has installed the handlers ends it by default action,
    // before it journaled anything (checked above: no attempt of it lacks its terminal record).
    if (!run.result && run.exitSignal !== null && !starts.some((s) => s.pid === run.child.pid))
      continue;
    if (!run.result) {
      problems.push(`PID ${run.child.pid} exited ${run.code ?? run.exitSignal} without a result`);
      continue;
    }
    // A signal after the result (its handlers already gone) may end the process instead.
    if (run.code !== run.result.exitCode && run.exitSignal === null)
      problems.push(
        `PID ${run.child.pid} exited ${run.code}, its result says ${run.result.exitCode}`,
      );
    const id = run.result.journalId;
    const ends = id ? (terminals.get(id) ?? []) : [];
    if (id && ends[0]?.exitCode !== run.result.exitCode)
      problems.push(
        `attempt ${id} journaled exit ${ends[0]?.exitCode}, its result said ${run.result.exitCode}`,
      );
  }
  // history counts what the journal and the exit codes say
  const history = JSON.parse(
    (await cli(['--simulate', '--state-dir', dir, 'history', '--json'])).stdout,
  ) as {
    attempts: { exitCode: number | null; outcome: string }[];
  };
  const seen = new Map<string, number>();
  for (const run of runs)
    if (run.exitSignal !== 'SIGKILL' && run.result?.journalId) {
      const code = String(run.exitSignal === null ? run.code : run.result.exitCode);
      seen.set(code, (seen.get(code) ?? 0) + 1);
    }
  const counted = new Map<string, number>();
  for (const a of history.attempts)
    if (a.exitCode !== null)
      counted.set(String(a.exitCode), (counted.get(String(a.exitCode)) ?? 0) + 1);
  // A SIGKILL after the terminal record was written leaves a journaled exit code nobody saw.
  const killedAfterResult = runs.filter((r) => r.exitSignal === 'SIGKILL' && r.result?.journalId);
  for (const r of killedAfterResult) {
    const code = String(r.result?.exitCode);
    seen.set(code, (seen.get(code) ?? 0) + 1);
  }
  for (const code of new Set([...seen.keys(), ...counted.keys()]))
    if ((seen.get(code) ?? 0) !== (counted.get(code) ?? 0))
      problems.push(
        `history counts ${counted.get(code) ?? 0} attempts with exit ${code}, the runs ${seen.get(code) ?? 0}`,
      );
  if (history.attempts.some((a) => a.outcome === 'in-progress'))
    problems.push('history shows an attempt in progress after every run ended');
  const status = JSON.parse(
    (await cli(['--simulate', '--state-dir', dir, 'status', '--json'])).stdout,
  ) as {
    flashing: unknown;
  };
  if (status.flashing !== null)
    problems.push(`status shows a flash running: ${JSON.stringify(status.flashing)}`);
  const runDir = join(dir, 'simulator', 'root', 'run', 'cxl-flasher');
  const sockets = existsSync(runDir) ? readdirSync(runDir).filter((n) => n.endsWith('.sock')) : [];
  // A SIGKILLed flasher leaves its socket file; the next flash replaces it. Only a live one counts.
  for (const name of sockets) {
    const live = await new Promise<boolean>((r) => {
      const probe = connect(join(runDir, name));
      probe.once('connect', () => (probe.destroy(), r(true)));
      probe.once('error', () => r(false));
    });
    if (live) problems.push(`a live socket was left: ${name}`);
  }
  return problems;
}

async function main(): Promise<number> {
  const runs = option('runs', 200);
  const seed = option('seed', 15);
  const lanes = Math.max(1, option('lanes', 2));
  const boundMs = option('bound-ms', 30_000);
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` first');
  const random = prng(seed);
  const figures: Figures = {
    runs: 0,
    kinds: {},
    faults: {},
    signals: {},
    stalledObservers: 0,
    signalsDelivered: {},
    exitCodes: {},
    refusals: {},
    longestRunMs: 0,
  };
  const started = performance.now();
  const perLane = Array.from(
    { length: lanes },
    (_, i) => Math.floor(runs / lanes) + (i < runs % lanes ? 1 : 0),
  );
  // Each lane draws from its own stream of the seed, so lanes do not depend on each other's timing.
  const results = await Promise.all(
    perLane.map((n, i) => lane(i, n, prng(Math.floor(random() * 2 ** 32)), boundMs, figures)),
  );
  const wallMs = performance.now() - started;
  const problems: string[] = [];
  for (const { dir, runs: laneRuns } of results) {
    for (const r of laneRuns) {
      figures.runs++;
      figures.faults[r.fault || 'none'] = (figures.faults[r.fault || 'none'] ?? 0) + 1;
      if (r.signal) figures.signals[r.signal] = (figures.signals[r.signal] ?? 0) + 1;
      const end = r.exitSignal ?? String(r.code);
      figures.exitCodes[end] = (figures.exitCodes[end] ?? 0) + 1;
      figures.longestRunMs = Math.max(figures.longestRunMs, r.ms);
      if (r.result?.exitCode === 3) {
        const why = r.result.message.slice(0, 48);
        figures.refusals[why] = (figures.refusals[why] ?? 0) + 1;
      }
    }
    problems.push(...(await check(dir, laneRuns)).map((p) => `${dir}: ${p}`));
    if (problems.length === 0) rmSync(dir, { recursive: true, force: true });
  }
  console.log(
    JSON.stringify(
      {
        seed,
        lanes,
        wallSec: Math.round(wallMs / 100) / 10,
        ...figures,
        longestRunMs: Math.round(figures.longestRunMs),
        problems: problems.length,
      },
      null,
      1,
    ),
  );
  for (const p of problems) console.log(`PROBLEM ${p}`);
  return problems.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);

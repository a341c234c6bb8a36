/**
 * `npm run bench`: how well cxl-flasher keeps the hypervisor fed and how light it is, measured
 * on the built CLI against the simulator (zero latency unless a figure says otherwise).
 *
 *   npm run bench [-- --runs N] [-- --quick]
 *
 * Writes bench/results.json and prints a table. Each figure is a median over the runs.
 * Needs GNU time, util-linux script and sha256sum. The figures are measurements, not tests:
 * nothing here fails on a missed target, it says so in the table.
 */
import { spawnSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  DOWNLOAD_SHOWN,
  linearFit,
  median,
  RELOAD_SHOWN,
  terminalWindow,
  type TerminalWindow,
} from './bench/analysis.js';
import { inPty, interactiveEnv, measure, missingTools, wallOf } from './bench/processes.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string' },
    quick: { type: 'boolean', default: false },
  },
});
const RUNS = Number(values.runs ?? (values.quick ? 2 : 5));
const PTY_RUNS = values.quick ? 1 : 3;
const SIZES_MIB = values.quick ? [16, 64] : [16, 64, 256];
const GAP_SIZE_MIB = values.quick ? 64 : 256;

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'dist', 'cli.js');
const NODE = process.execPath;
/** zero latency: every simulated delay below half a millisecond resolves at once */
const ZERO = '--simulate=speed@1000000';
/** the terminal-bandwidth run: a call about every 140 ms, four times the simulator's default pace */
const PACED = '--simulate=speed@4';
const MiB = 1024 * 1024;
/** the wizard's header, with or without bold around the name */
const HEADER_LINE = new RegExp(`cxl-flasher(${String.fromCharCode(27)}\\[[0-9;]*m)* ·`);

const missing = missingTools();
if (missing.length > 0) {
  console.error(`npm run bench needs: ${missing.join(', ')}. Install them (apt-get install ...).`);
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), 'cxl-bench-'));
// The simulator keeps the adapter's flash as a file in the state directory. On a disk, whether
// ext4 happened to be writing back the last run's 256 MiB made a download take 250 or 870 ms;
// on tmpfs it is steady. The images stay on disk, where sha256sum reads them too.
const stateRoot = existsSync('/dev/shm') ? mkdtempSync('/dev/shm/cxl-bench-state-') : work;
let stateDirs = 0;
const freshStateDir = (): string => join(stateRoot, `state-${stateDirs++}`);
const log = (line: string): void => void process.stderr.write(`${line}\n`);

function makeImage(mib: number): string {
  const path = join(work, `image-${mib}MiB.bin`);
  const block = Buffer.alloc(16 * MiB);
  const chunks: Buffer[] = [];
  for (let done = 0; done < mib * MiB; done += block.length)
    chunks.push(
      Buffer.from(randomFillSync(block)).subarray(0, Math.min(block.length, mib * MiB - done)),
    );
  writeFileSync(path, Buffer.concat(chunks));
  return path;
}

interface ResultEvent {
  outcome: string;
  exitCode: number;
  largestGapMs: number | null;
  gapP99Ms: number | null;
  durationsMs: Record<string, number>;
}

function resultOf(stdout: string): ResultEvent {
  const last = stdout.trim().split('\n').at(-1) ?? '';
  const event = JSON.parse(last) as ResultEvent & { event: string };
  if (event.event !== 'result' || event.exitCode !== 0)
    throw new Error(`the flash did not succeed: ${last}`);
  return event;
}

/** Kill whatever is left of a run on `stateDir` (a pty run cut short). */
function reap(stateDir: string): void {
  spawnSync('pkill', ['-KILL', '-f', stateDir]);
}

// 2, 3, 6: headless flashes, interleaved with sha256sum of the same file
interface SizeFigures {
  readonly mib: number;
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly engineMs: number;
  readonly sha256sumWallMs: number;
  readonly sha256sumCpuMs: number;
  readonly ratioToSha256sum: number;
  readonly peakRssMiB: number;
  readonly largestGapMs: number;
  readonly gapP99Ms: number;
}

function headless(mib: number, image: string): SizeFigures {
  const runOnce = () => {
    // Write back the last run's dirty pages (its image copy, the simulator's 256 MiB flash file)
    // first, so their writeback is not charged to this run as system time.
    spawnSync('sync');
    const stateDir = freshStateDir();
    const flash = measure(NODE, [
      CLI,
      ZERO,
      '--state-dir',
      stateDir,
      'flash',
      image,
      '--yes',
      '--json',
    ]);
    const result = resultOf(flash.stdout);
    rmSync(stateDir, { recursive: true, force: true });
    spawnSync('sync');
    const sha = measure('sha256sum', [image]);
    return { flash, result, sha };
  };
  runOnce(); // warm the page cache and the module cache
  const runs = Array.from({ length: RUNS }, runOnce);
  const figures: SizeFigures = {
    mib,
    wallMs: median(runs.map((r) => r.flash.wallMs)),
    cpuMs: median(runs.map((r) => r.flash.cpuMs)),
    engineMs: median(runs.map((r) => r.result.durationsMs.total ?? NaN)),
    sha256sumWallMs: median(runs.map((r) => r.sha.wallMs)),
    sha256sumCpuMs: median(runs.map((r) => r.sha.cpuMs)),
    ratioToSha256sum: median(runs.map((r) => r.flash.wallMs / r.sha.wallMs)),
    peakRssMiB: median(runs.map((r) => r.flash.maxRssKiB / 1024)),
    largestGapMs: median(runs.map((r) => r.result.largestGapMs ?? NaN)),
    gapP99Ms: median(runs.map((r) => r.result.gapP99Ms ?? NaN)),
  };
  log(
    `  ${mib} MiB: ${figures.wallMs.toFixed(0)} ms wall, ${figures.cpuMs.toFixed(0)} ms CPU, ` +
      `${figures.peakRssMiB.toFixed(0)} MiB RSS, sha256sum ${figures.sha256sumWallMs.toFixed(0)} ms`,
  );
  return figures;
}

interface GapStats {
  largestMs: number;
  p99Ms: number | null;
}

/** The simulated hypervisor's own record of both passes (model.json `hypervisorGaps`). */
function hypervisorGaps(stateDir: string): { largestMs: number; p99Ms: number } {
  const model = JSON.parse(readFileSync(join(stateDir, 'simulator', 'model.json'), 'utf8')) as {
    hypervisorGaps?: Record<string, GapStats>;
  };
  const passes = Object.values(model.hypervisorGaps ?? {});
  if (passes.length !== 2) throw new Error('the simulator kept no gaps for both passes');
  return {
    largestMs: Math.max(...passes.map((p) => p.largestMs)),
    // the larger of the two passes' p99: an upper bound of the whole flash's
    p99Ms: Math.max(...passes.map((p) => p.p99Ms ?? 0)),
  };
}

// 1: call gaps while the wizard draws in a real terminal
interface TerminalRun {
  /** as the program measured them, in the device thread: from one call's return to the next's issue */
  readonly largestGapMs: number;
  readonly gapP99Ms: number;
  /** as the simulated hypervisor saw them (it answers in the same thread) */
  readonly hypervisorLargestMs: number;
  readonly hypervisorP99Ms: number;
  readonly window: TerminalWindow | null;
}

async function wizardFlash(
  scenario: string,
  image: string,
  windowed: boolean,
  extraEnv: Record<string, string> = {},
): Promise<TerminalRun> {
  const stateDir = freshStateDir();
  const pty = inPty([NODE, CLI, scenario, '--state-dir', stateDir, 'flash', image, '--yes'], {
    cols: 80,
    rows: 24,
    env: { ...interactiveEnv(), ...extraEnv },
  });
  try {
    await pty.waitFor(/SUCCESS/, 600_000);
    pty.type('q');
    await pty.closed(10_000);
  } finally {
    reap(stateDir);
  }
  const journal = readFileSync(join(stateDir, 'journal.jsonl'), 'utf8').trim().split('\n');
  const terminal = JSON.parse(journal.at(-1) ?? '{}') as {
    type: string;
    largestGapMs: number;
    gapP99Ms: number;
  };
  if (terminal.type !== 'success') throw new Error(`wizard flash ended ${terminal.type}`);
  const seen = hypervisorGaps(stateDir);
  rmSync(stateDir, { recursive: true, force: true });
  return {
    largestGapMs: terminal.largestGapMs,
    gapP99Ms: terminal.gapP99Ms,
    hypervisorLargestMs: seen.largestMs,
    hypervisorP99Ms: seen.p99Ms,
    // from the download's first progress line to the reload's heading: both passes
    window: windowed ? terminalWindow(pty.chunks, DOWNLOAD_SHOWN, RELOAD_SHOWN) : null,
  };
}

// 4: start-up
async function firstFrameMs(
  argv: readonly string[],
  pattern: RegExp,
  stateDir: string,
): Promise<number> {
  const pty = inPty(argv, { cols: 80, rows: 24, env: interactiveEnv() });
  try {
    const at = await pty.waitFor(pattern, 30_000);
    pty.type('\u0003'); // Ctrl-C: nothing is touched yet, so it quits
    await pty.closed(5_000);
    return at;
  } finally {
    reap(stateDir);
  }
}

function machine(): Record<string, string | number> {
  const cpuList = cpus();
  return {
    cpu: cpuList[0]?.model ?? 'unknown',
    cores: cpuList.length,
    memoryGiB: Math.round(totalmem() / 1024 ** 3),
    arch: process.arch,
    kernel: release(),
    node: process.version,
  };
}

const fmt = (n: number, digits = 0): string => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

async function main(): Promise<void> {
  log(`cxl-flasher bench: ${RUNS} runs per headless figure, ${PTY_RUNS} per terminal figure`);
  log('images...');
  const images = new Map(SIZES_MIB.map((mib) => [mib, makeImage(mib)]));
  const imageOf = (mib: number): string => {
    const path = images.get(mib);
    if (!path) throw new Error(`no ${mib} MiB image`);
    return path;
  };

  log('start-up...');
  const startup = {
    nodeMs: [] as number[],
    helpMs: [] as number[],
    frameMs: [] as number[],
    firstStartMs: [] as number[],
    ptyNodeMs: [] as number[],
  };
  wallOf(NODE, [CLI, '--help']);
  for (let i = 0; i < 10; i++) {
    startup.nodeMs.push(wallOf(NODE, ['-e', '0']));
    startup.helpMs.push(wallOf(NODE, [CLI, '--help']));
  }
  for (let i = 0; i < Math.max(3, PTY_RUNS); i++) {
    const stateDir = freshStateDir();
    startup.ptyNodeMs.push(
      await firstFrameMs(
        [NODE, '-e', "process.stdout.write('node-ready\\n')"],
        /node-ready/,
        stateDir,
      ),
    );
    // the first start on a state directory writes the simulator's tree and its sample image
    startup.firstStartMs.push(
      await firstFrameMs([NODE, CLI, '--simulate', '--state-dir', stateDir], HEADER_LINE, stateDir),
    );
    startup.frameMs.push(
      await firstFrameMs([NODE, CLI, '--simulate', '--state-dir', stateDir], HEADER_LINE, stateDir),
    );
    rmSync(stateDir, { recursive: true, force: true });
  }

  log('headless flashes (flash --yes --json) and sha256sum...');
  const sizes = SIZES_MIB.map((mib) => headless(mib, imageOf(mib)));
  const fit = linearFit(sizes.map((s) => [s.mib, s.wallMs] as const));
  const engineFit = linearFit(sizes.map((s) => [s.mib, s.engineMs] as const));

  log(`call gaps: the wizard flashing ${GAP_SIZE_MIB} MiB in a pty at 80x24...`);
  const gapImage = imageOf(GAP_SIZE_MIB);
  const gapRuns: TerminalRun[] = [];
  for (let i = 0; i < PTY_RUNS; i++) gapRuns.push(await wizardFlash(ZERO, gapImage, false));
  log(`call gaps: the same, with the main thread blocked for 5 s after download call 10...`);
  const blockedRuns: TerminalRun[] = [];
  for (let i = 0; i < PTY_RUNS; i++)
    blockedRuns.push(
      await wizardFlash(ZERO, gapImage, false, { CXL_FLASHER_TEST_BLOCK_MAIN: 'download:10:5000' }),
    );

  log(
    `terminal bandwidth: the wizard flashing 64 MiB at ${PACED.split('=')[1]} in a pty at 80x24...`,
  );
  const bandwidthRuns: TerminalWindow[] = [];
  for (let i = 0; i < Math.min(PTY_RUNS, 2); i++) {
    const run = await wizardFlash(PACED, imageOf(64), true);
    if (run.window) bandwidthRuns.push(run.window);
  }

  const gap = {
    imageMiB: GAP_SIZE_MIB,
    hypervisorLargestMs: median(gapRuns.map((r) => r.hypervisorLargestMs)),
    hypervisorP99Ms: median(gapRuns.map((r) => r.hypervisorP99Ms)),
    hypervisorWorstMs: Math.max(...gapRuns.map((r) => r.hypervisorLargestMs)),
    programLargestMs: median(gapRuns.map((r) => r.largestGapMs)),
    programP99Ms: median(gapRuns.map((r) => r.gapP99Ms)),
    blockedHypervisorLargestMs: median(blockedRuns.map((r) => r.hypervisorLargestMs)),
    blockedHypervisorWorstMs: Math.max(...blockedRuns.map((r) => r.hypervisorLargestMs)),
  };
  const bandwidth = bandwidthRuns.length
    ? {
        bytesPerSec: median(bandwidthRuns.map((w) => w.bytesPerSec)),
        updatesPerSec: median(bandwidthRuns.map((w) => w.updatesPerSec)),
        seconds: median(bandwidthRuns.map((w) => w.seconds)),
      }
    : null;
  const start = {
    nodeMs: median(startup.nodeMs),
    helpMs: median(startup.helpMs),
    ptyNodeMs: median(startup.ptyNodeMs),
    firstFrameMs: median(startup.frameMs),
    firstStartFirstFrameMs: median(startup.firstStartMs),
  };

  const rows: [string, string, string, boolean | null][] = [
    [
      `1. largest call gap the hypervisor saw, wizard in a pty, ${GAP_SIZE_MIB} MiB`,
      `${fmt(gap.hypervisorLargestMs, 2)} ms (worst run ${fmt(gap.hypervisorWorstMs, 2)})`,
      '< 2 ms',
      gap.hypervisorLargestMs < 2,
    ],
    [
      '1. the same with the main thread blocked 5 s mid-download',
      `${fmt(gap.blockedHypervisorLargestMs, 2)} ms (worst run ${fmt(gap.blockedHypervisorWorstMs, 2)})`,
      '< 2 ms',
      gap.blockedHypervisorLargestMs < 2,
    ],
    ['1. p99 call gap the hypervisor saw', `${fmt(gap.hypervisorP99Ms, 2)} ms`, '', null],
    [
      '1. largest / p99 gap as the program measures it',
      `${fmt(gap.programLargestMs, 2)} / ${fmt(gap.programP99Ms, 2)} ms`,
      '',
      null,
    ],
    ...sizes.map((s): [string, string, string, boolean | null] => [
      `2. flash --yes --json ${s.mib} MiB: wall / CPU`,
      `${fmt(s.wallMs)} ms / ${fmt(s.cpuMs)} ms`,
      '',
      null,
    ]),
    ...sizes.map((s): [string, string, string, boolean | null] => [
      `2. ${s.mib} MiB against sha256sum (${fmt(s.sha256sumWallMs)} ms)`,
      `${fmt(s.ratioToSha256sum, 2)}x`,
      // the issue sets the target for 64 and 256 MiB; at 16 MiB start-up is most of the time
      s.mib >= 64 ? '< 3x' : '',
      s.mib >= 64 ? s.ratioToSha256sum < 3 : null,
    ]),
    ...sizes.map((s): [string, string, string, boolean | null] => [
      `3. peak RSS ${s.mib} MiB`,
      `${fmt(s.peakRssMiB)} MiB (image + ${fmt(s.peakRssMiB - s.mib)})`,
      `<= ${s.mib + 100} MiB`,
      s.peakRssMiB <= s.mib + 100,
    ]),
    ['4. node -e 0', `${fmt(start.nodeMs)} ms`, '', null],
    ['4. --help', `${fmt(start.helpMs)} ms`, '', null],
    [
      '4. first wizard frame in a pty at 80x24 (bare node in the same pty)',
      `${fmt(start.firstFrameMs)} ms (${fmt(start.ptyNodeMs)} ms)`,
      '< 600 ms',
      start.firstFrameMs < 600,
    ],
    [
      '4. first frame on a new state directory (sample image written in the background)',
      `${fmt(start.firstStartFirstFrameMs)} ms`,
      '< 600 ms',
      start.firstStartFirstFrameMs < 600,
    ],
    [
      `5. terminal bytes/s during the transfer, 80x24, ${PACED.split('=')[1]}`,
      bandwidth ? `${fmt(bandwidth.bytesPerSec)} B/s` : 'not measured',
      '< 2048 B/s',
      bandwidth ? bandwidth.bytesPerSec < 2048 : false,
    ],
    [
      '5. screen updates/s',
      bandwidth ? fmt(bandwidth.updatesPerSec, 1) : 'not measured',
      '>= 2',
      bandwidth ? bandwidth.updatesPerSec >= 2 : false,
    ],
    [
      `6. wall time against size (${SIZES_MIB.join('/')} MiB)`,
      `${fmt(fit.slope, 2)} ms/MiB + ${fmt(fit.intercept)} ms, r² ${fmt(fit.r2, 4)}`,
      'linear',
      fit.r2 > 0.99,
    ],
    [
      '6. engine time (open to summary) against size',
      `${fmt(engineFit.slope, 2)} ms/MiB + ${fmt(engineFit.intercept)} ms, r² ${fmt(engineFit.r2, 4)}`,
      '',
      null,
    ],
  ];

  const results = {
    date: new Date().toISOString(),
    machine: machine(),
    runs: { headless: RUNS, terminal: PTY_RUNS },
    gap,
    sizes,
    scaling: { wall: fit, engine: engineFit },
    startup: start,
    bandwidth,
    targets: rows
      .filter((r) => r[3] !== null)
      .map(([figure, value, target, met]) => ({ figure, value, target, met })),
  };
  mkdirSync(join(ROOT, 'bench'), { recursive: true });
  writeFileSync(join(ROOT, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);

  const m = machine();
  console.log(
    `\n${results.date.slice(0, 10)} · ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB · Linux ${m.kernel} ${m.arch} · Node ${m.node}\n`,
  );
  console.log('| figure | measured | target | |');
  console.log('|---|---|---|---|');
  for (const [figure, value, target, met] of rows)
    console.log(
      `| ${figure} | ${value} | ${target} | ${met === null ? '' : met ? 'met' : '**missed**'} |`,
    );
  console.log('\nwritten to bench/results.json');
}

try {
  await main();
} finally {
  rmSync(work, { recursive: true, force: true });
  rmSync(stateRoot, { recursive: true, force: true });
}

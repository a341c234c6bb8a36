/**
 * `cxl-flasher doctor [--json]`: the environment report. It never opens a card device
 * (open + close alone resets the adapter, docs/kernel-contract.md §4.5).
 */
import {
  ADAPTER_IMAGE_LAYOUT,
  ADAPTER_IMAGE_STRUCT_SIZE,
  CXL_AI_HEADER_SIZE,
  CXL_AI_MAX_CHUNK_SIZE,
  CXL_AI_MAX_ENTRIES,
  CXL_AI_MAX_HEADER_CHUNK_SIZE,
  hostByteOrder,
} from '../ioctl/abi.js';
import { cxlRequestNumbers, formatRequestNumber } from '../ioctl/request-numbers.js';
import { readEnvironment, type CardNode, type DriverSupport } from '../hardware/environment.js';
import type { SystemRoot } from '../hardware/system-root.js';
import type { Command } from 'commander';
import { dependencyVersion, packageInfo } from '../version.js';
import { ExitCode } from '../exit-codes.js';
import type { Simulation } from '../sim/simulation.js';
import { buildCardReport, renderCardReport, type CardReport } from './card-report.js';
import { withContext, writeLine, type RegisterCommand } from './command-kit.js';
import { shown, terminalSafe } from '../terminal-text.js';
import { helpFooter } from './help-footer.js';

export interface DoctorReport {
  readonly tool: { readonly name: string; readonly version: string };
  readonly simulated: boolean;
  readonly platform: string;
  readonly arch: string;
  readonly byteOrder: 'LE' | 'BE';
  readonly versions: Readonly<Record<string, string>>;
  readonly kernel: { readonly release: string; readonly driver: DriverSupport };
  readonly cxlModuleLoaded: boolean;
  readonly powervmGuest: boolean | null;
  readonly powervmDetail: string;
  readonly effectiveUid: number | null;
  readonly cardDevices: readonly CardNode[];
  /** the cards, their AFUs and who has them open (the same report as `list`) */
  readonly adapters: CardReport;
  readonly ioctl: {
    readonly layout: string;
    readonly downloadImage: string;
    readonly validateImage: string;
    readonly structSize: number;
    readonly structLayout: readonly { field: string; offset: number; size: number }[];
    readonly headerSize: number;
    readonly maxEntries: number;
    readonly maxChunk: number;
    readonly maxHeaderChunk: number;
  };
}

export function buildDoctorReport(
  root: SystemRoot,
  simulated: boolean,
  simulation: Simulation | null = null,
): DoctorReport {
  const env = readEnvironment(root);
  const requests = cxlRequestNumbers();
  return {
    tool: { name: packageInfo.name, version: packageInfo.version },
    simulated,
    platform: process.platform,
    arch: process.arch,
    byteOrder: hostByteOrder(),
    versions: {
      node: process.version,
      koffi: dependencyVersion('koffi'),
      ink: dependencyVersion('ink'),
      react: dependencyVersion('react'),
    },
    kernel: { release: env.kernelRelease, driver: env.driver },
    cxlModuleLoaded: env.cxlModuleLoaded,
    powervmGuest: env.powervmGuest,
    powervmDetail: env.hypertasDetail,
    effectiveUid: env.effectiveUid,
    cardDevices: env.cardNodes,
    adapters: buildCardReport(root, simulation),
    ioctl: {
      layout: requests.layout.name,
      downloadImage: formatRequestNumber(requests.downloadImage),
      validateImage: formatRequestNumber(requests.validateImage),
      structSize: ADAPTER_IMAGE_STRUCT_SIZE,
      structLayout: ADAPTER_IMAGE_LAYOUT.map((f) => ({ ...f })),
      headerSize: CXL_AI_HEADER_SIZE,
      maxEntries: CXL_AI_MAX_ENTRIES,
      maxChunk: CXL_AI_MAX_CHUNK_SIZE,
      maxHeaderChunk: CXL_AI_MAX_HEADER_CHUNK_SIZE,
    },
  };
}

const yesNo = (value: boolean | null, unknown = 'unknown'): string =>
  value === null ? unknown : value ? 'yes' : 'no';

export function renderDoctorReport(report: DoctorReport): string {
  const rows: [string, string][] = [
    ['cxl-flasher', `${report.tool.version}${report.simulated ? '  [SIMULATED ADAPTER]' : ''}`],
    [
      'platform',
      `${report.platform} ${report.arch} (${report.byteOrder === 'LE' ? 'little' : 'big'}-endian)`,
    ],
    [
      'versions',
      Object.entries(report.versions)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
    ],
    ['kernel', shown(report.kernel.release)],
    ['cxl driver', `${report.kernel.driver.status}: ${report.kernel.driver.note}`],
    [
      'cxl module',
      report.cxlModuleLoaded ? 'loaded (/sys/module/cxl)' : 'not loaded (no /sys/module/cxl)',
    ],
    ['PowerVM guest', `${yesNo(report.powervmGuest, 'no')}: ${terminalSafe(report.powervmDetail)}`],
    ['effective uid', report.effectiveUid === null ? 'unknown' : String(report.effectiveUid)],
  ];
  const cards =
    report.cardDevices.length === 0
      ? [['card devices', 'none under /dev/cxl'] as [string, string]]
      : report.cardDevices.map((c, i): [string, string] => [
          i === 0 ? 'card devices' : '',
          `${shown(c.name)}  ${c.kind} mode ${c.mode || '?'}  ${c.accessible ? 'openable by this user' : 'NOT openable by this user'}  (not opened: open+close resets the adapter)`,
        ]);
  const io = report.ioctl;
  const ioctl: [string, string][] = [
    ['ioctl layout', `${io.layout} _IOC`],
    ['DOWNLOAD_IMAGE', io.downloadImage],
    ['VALIDATE_IMAGE', io.validateImage],
    [
      'struct size',
      `${io.structSize} bytes (${io.structLayout.map((f) => `${f.field}@${f.offset}`).join(' ')})`,
    ],
    [
      'chunk limits',
      `${io.maxHeaderChunk} bytes with header, ${io.maxChunk} without (${io.maxEntries} x 4096)`,
    ],
  ];
  const all = [...rows, ...cards, ...ioctl];
  const width = Math.max(...all.map(([k]) => k.length));
  const table = all.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
  const why = 'The kernel, cxl driver, PowerVM guest and card device lines above say why.';
  return `${table}\n\nAdapters\n\n${renderCardReport(report.adapters, why)}`;
}

export const registerDoctor: RegisterCommand = (program: Command, setExitCode) => {
  program
    .command('doctor')
    .description(
      'report the environment: kernel, driver, guest mode, card devices, adapters, ioctl numbers',
    )
    .option('--json', 'print one JSON document')
    .addHelpText(
      'after',
      helpFooter({
        notes: [
          'It never opens a card device: on this driver, open + close alone resets the adapter.',
        ],
        exitCodes: '0 the report was printed (whatever it says), 2 bad arguments.',
        examples: ['cxl-flasher doctor', 'cxl-flasher doctor --json | jq .ioctl'],
      }),
    )
    .action(
      withContext<{ json?: boolean }>(setExitCode, async (context, options) => {
        const report = buildDoctorReport(context.root, context.simulated, context.simulation);
        writeLine(
          process.stdout,
          options.json ? JSON.stringify(report, null, 2) : renderDoctorReport(report),
        );
        return ExitCode.Success;
      }),
    );
};

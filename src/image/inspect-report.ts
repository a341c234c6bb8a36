/**
 * Everything known about an image before any device is opened, as one plain object: size and
 * hashes, the expected checksum and its verdict, the format, the header the kernel will build
 * (and the one found in the file), the ID comparison, and the chunk plan of both passes.
 * `buildInspectReport` is pure, so `inspect`, the wizard and the engine share it. `--json`
 * prints this object as it is (README: "inspect --json").
 */
import type { AdapterIdentity } from '../hardware/types.js';
import { checkCompatibility, type Compatibility } from './compatibility.js';
import {
  compareChecksum,
  describeSource,
  type ChecksumCheck,
  type ExpectedChecksum,
} from './checksum.js';
import {
  chunkPlan,
  summarisePlan,
  PASSES,
  type ChunkPlanSummary,
  type PassName,
} from './chunk-plan.js';
import { sniffFormat, type FormatSniff } from './format.js';
import { buildKernelHeader, headerIdentity, headerRows, type HeaderFieldRow } from './header.js';
import type { LoadedImage } from './load.js';

export const INSPECT_SCHEMA = 'cxl-flasher.inspect/1';

/** The adapter an image is inspected against (the lead's resolver builds it from CardInfo). */
export interface InspectAdapter {
  /** `card0` */
  readonly name: string;
  /** a location code or other words that say which adapter it is; null when none */
  readonly label: string | null;
  readonly identity: AdapterIdentity;
  readonly simulated: boolean;
}

export interface InspectProblem {
  readonly code: 'checksum-mismatch' | 'id-mismatch' | 'not-an-image';
  readonly message: string;
  readonly fix: string;
}

export interface HeaderView {
  /** the 128 bytes in hex; null when they depend on an adapter that is not selected */
  readonly hex: string | null;
  readonly fields: readonly HeaderFieldRow[];
}

export interface InspectReport {
  readonly schema: typeof INSPECT_SCHEMA;
  readonly image: {
    readonly path: string;
    readonly realPath: string;
    readonly fileSize: number;
    readonly payloadOffset: number;
    readonly payloadSize: number;
    readonly fileSha256: string;
    readonly payloadSha256: string;
  };
  readonly checksum: {
    readonly status: ChecksumCheck['status'];
    readonly expected: string | null;
    readonly source: 'option' | 'sidecar' | null;
    readonly sidecarPath: string | null;
    /** which hash equalled the expected one */
    readonly matched: 'file' | 'payload' | null;
    readonly note: string | null;
  };
  readonly format: Omit<FormatSniff, 'refusal'>;
  readonly header: {
    /** what the kernel builds and sends in front of the payload (§3) */
    readonly kernel: HeaderView & { readonly idsKnown: boolean };
    /** the header the file began with, stripped before flashing; null for a raw image */
    readonly embedded: HeaderView | null;
  };
  readonly adapter: {
    readonly selected: boolean;
    readonly name: string | null;
    readonly label: string | null;
    readonly simulated: boolean;
    readonly ids: AdapterIdentity | null;
    readonly note: string;
  };
  readonly compatibility: Compatibility;
  readonly plan: ChunkPlanSummary & {
    readonly passes: readonly PassName[];
    readonly calls: readonly {
      index: number;
      offset: number;
      lenData: number;
      needHeader: boolean;
    }[];
  };
  readonly warnings: readonly string[];
  /** reasons not to flash this image (exit 2); empty when it may be flashed */
  readonly problems: readonly InspectProblem[];
  readonly ok: boolean;
}

export interface InspectContext {
  readonly expected: ExpectedChecksum | null;
  /** how the adapter was chosen, or why there is none */
  readonly adapterNote: string;
}

function checksumProblem(check: ChecksumCheck, embedded: boolean): InspectProblem | null {
  if (check.status !== 'mismatch' || check.expected === null) return null;
  const lines = [
    'SHA-256 mismatch: the image is not the file its checksum describes.',
    `  expected  ${check.expected.sha256}  (from ${describeSource(check.expected)})`,
    `  actual    ${check.fileSha256}  (the whole file, as sha256sum computes it)`,
  ];
  if (embedded)
    lines.push(`  payload   ${check.payloadSha256}  (the file after its 128-byte header)`);
  return {
    code: 'checksum-mismatch',
    message: lines.join('\n'),
    fix: 'The file is damaged or not the one the checksum belongs to: fetch it again, or check that the checksum is the one published with this image.',
  };
}

/** Build the report. Pure: the image is already loaded and the expected hash already found. */
export function buildInspectReport(
  image: LoadedImage,
  adapter: InspectAdapter | null,
  context: InspectContext,
): InspectReport {
  const check = compareChecksum(image, context.expected);
  const format = sniffFormat(image.payload, image.realPath);
  const embedded = image.embeddedHeader;
  const compatibility = checkCompatibility(
    embedded ? headerIdentity(embedded) : null,
    adapter?.identity ?? null,
    adapter?.name,
  );
  const plan = chunkPlan(image.payload.length);
  const kernelBytes = buildKernelHeader(
    adapter?.identity ?? {
      vendorId: null,
      deviceId: null,
      subsystemVendorId: null,
      subsystemId: null,
    },
    image.payload.length,
  );

  const problems: InspectProblem[] = [];
  const mismatch = checksumProblem(check, embedded !== null);
  if (mismatch) problems.push(mismatch);
  if (format.refusal) problems.push({ code: 'not-an-image', ...format.refusal });
  if (compatibility.verdict === 'mismatch') {
    problems.push({
      code: 'id-mismatch',
      message: [compatibility.summary, ...compatibility.explanation].join('\n  '),
      fix: compatibility.advice ?? 'Use an image built for this adapter.',
    });
  }
  const warnings = [...format.warnings];
  if (context.expected?.note) warnings.push(`Checksum: ${context.expected.note}.`);

  const { refusal: _refusal, ...formatView } = format;
  return {
    schema: INSPECT_SCHEMA,
    image: {
      path: image.path,
      realPath: image.realPath,
      fileSize: image.fileSize,
      payloadOffset: image.payloadOffset,
      payloadSize: image.payload.length,
      fileSha256: image.fileSha256,
      payloadSha256: image.payloadSha256,
    },
    checksum: {
      status: check.status,
      expected: check.expected?.sha256 ?? null,
      source: check.expected?.source ?? null,
      sidecarPath: check.expected?.sidecarPath ?? null,
      matched: check.matched,
      note: context.expected?.note ?? null,
    },
    format: formatView,
    header: {
      kernel: {
        idsKnown: adapter !== null,
        hex: adapter ? kernelBytes.toString('hex') : null,
        fields: headerRows(kernelBytes, 'kernel', adapter !== null),
      },
      embedded: image.embeddedHeaderBytes
        ? {
            hex: image.embeddedHeaderBytes.toString('hex'),
            fields: headerRows(image.embeddedHeaderBytes, 'file'),
          }
        : null,
    },
    adapter: {
      selected: adapter !== null,
      name: adapter?.name ?? null,
      label: adapter?.label ?? null,
      simulated: adapter?.simulated ?? false,
      ids: adapter?.identity ?? null,
      note: context.adapterNote,
    },
    compatibility,
    plan: {
      ...summarisePlan(plan),
      passes: PASSES,
      calls: plan.calls.map((c) => ({
        index: c.index,
        offset: c.offset,
        lenData: c.lenData,
        needHeader: c.flags !== 0n,
      })),
    },
    warnings,
    problems,
    ok: problems.length === 0,
  };
}

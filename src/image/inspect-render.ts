/** The inspect report as plain text lines, for the terminal and for logs. */
import { resolve } from 'node:path';
import { CXL_AI_MAX_CHUNK_SIZE } from '../ioctl/abi.js';
import type { HeaderView, InspectReport } from './inspect-report.js';
import { shown } from '../terminal-text.js';
import { formatBytes, groupDigits } from './units.js';

const LABEL_WIDTH = 14;
const row = (label: string, value: string): string => `${label.padEnd(LABEL_WIDTH)}${value}`;
const more = (value: string): string => `${''.padEnd(LABEL_WIDTH)}${value}`;

function checksumLines(report: InspectReport): string[] {
  const c = report.checksum;
  const embedded = report.image.payloadOffset > 0;
  const lines = [
    row('SHA-256', `${report.image.fileSha256}  (the whole file, as sha256sum computes it)`),
  ];
  if (embedded) {
    lines.push(more(`${report.image.payloadSha256}  (the payload: the bytes flashed)`));
  }
  const from = c.source === 'option' ? '--sha256' : shown(c.sidecarPath ?? '');
  if (c.status === 'not-checked') {
    lines.push(
      row('expected', 'not checked: no --sha256 given and no IMAGE.sha256 next to the image'),
    );
  } else if (c.status === 'match') {
    const which =
      c.matched === 'payload' ? 'the payload hash (the file without its header)' : 'the file';
    lines.push(row('expected', `match with ${which}: ${c.expected ?? ''} from ${from}`));
  } else {
    lines.push(row('expected', `MISMATCH: ${c.expected ?? ''} from ${from}`));
  }
  return lines;
}

function formatLines(report: InspectReport): string[] {
  const f = report.format;
  const lines = [row('format', `${f.label} (${f.confidence}: ${f.evidence})`)];
  const details = Object.entries(f.details)
    .filter(([key]) => key !== 'leadingPaddingBytes')
    .map(
      ([key, value]) =>
        `${shown(key)} ${typeof value === 'number' ? groupDigits(value) : shown(value)}`,
    );
  if (details.length > 0) lines.push(more(details.join(', ')));
  return lines;
}

function adapterLines(report: InspectReport): string[] {
  const a = report.adapter;
  if (!a.selected) return [row('adapter', `none: ${a.note}`)];
  const name = [
    shown(a.name),
    a.label ? `(${shown(a.label)})` : '',
    a.simulated ? '[SIMULATED ADAPTER]' : '',
  ]
    .filter((s) => s !== '')
    .join(' ');
  return [row('adapter', name), ...(a.note ? [more(a.note)] : [])];
}

function headerTable(title: string, view: HeaderView): string[] {
  const lines = [title, '  offset  size  field             value         note'];
  for (const f of view.fields) {
    const value =
      f.value === null
        ? 'unknown'
        : typeof f.value === 'number'
          ? groupDigits(f.value)
          : shown(f.value);
    lines.push(
      `  ${String(f.offset).padStart(6)}  ${String(f.size).padStart(4)}  ${f.field.padEnd(16)}  ${value.padEnd(12)}  ${f.note}`,
    );
  }
  return lines;
}

function headerLines(report: InspectReport): string[] {
  const lines: string[] = [];
  const e = report.header.embedded;
  if (e) {
    lines.push(
      `The file begins with its own 128-byte image header. It is stripped: the ${groupDigits(report.image.payloadSize)} bytes after it are flashed, and the kernel builds the only header sent.`,
      ...headerTable('header found in the file (not sent)', e),
      '',
    );
  }
  const k = report.header.kernel;
  const title = k.idsKnown
    ? 'header the kernel will build (128 bytes, big-endian)'
    : 'header the kernel will build (128 bytes, big-endian); the IDs come from the adapter';
  lines.push(...headerTable(title, k));
  return lines;
}

function compatibilityLines(report: InspectReport): string[] {
  const c = report.compatibility;
  return [
    row('compatibility', c.summary),
    ...c.explanation.map((line) => more(line)),
    ...(c.advice ? [more(c.advice)] : []),
  ];
}

function planLines(report: InspectReport): string[] {
  const p = report.plan;
  const calls = (n: number, what: string): string => `${n} ${what} call${n === 1 ? '' : 's'}`;
  const lines = [
    row(
      'chunk plan',
      `${calls(p.callsPerPass, 'download')} + ${calls(p.callsPerPass, 'validate')} = ${p.totalCalls} ioctls, len_image ${groupDigits(p.lenImage)}`,
    ),
  ];
  const first = groupDigits(p.firstLenData ?? 0);
  const last = groupDigits(p.lastLenData ?? 0);
  if (p.callsPerPass === 1) {
    lines.push(more(`each pass: one call with NEED_HEADER and len_data ${first}`));
  } else {
    const middle = p.callsPerPass - 2;
    const between = middle > 0 ? `, then ${middle} x ${groupDigits(CXL_AI_MAX_CHUNK_SIZE)}` : '';
    lines.push(
      more(`each pass: first call NEED_HEADER with len_data ${first}${between}, last ${last}`),
    );
  }
  if (p.smallFirstChunk) {
    lines.push(
      more(
        'the first call is shorter than 3,968 bytes: the driver reads 128 bytes past the image, which are provided as zeros',
      ),
    );
  }
  return lines;
}

export function renderInspectReport(report: InspectReport): string {
  const i = report.image;
  const lines = [
    row(
      'image',
      resolve(i.path) === i.realPath ? shown(i.path) : `${shown(i.path)} -> ${shown(i.realPath)}`,
    ),
    row('size', formatBytes(i.fileSize)),
    ...checksumLines(report),
    ...formatLines(report),
    ...adapterLines(report),
    '',
    ...headerLines(report),
    '',
    ...compatibilityLines(report),
    ...planLines(report),
  ];
  if (report.warnings.length > 0) {
    lines.push('', 'warnings', ...report.warnings.map((w) => `  - ${w}`));
  }
  if (report.problems.length > 0) {
    lines.push(
      '',
      `refused (${report.problems.length} problem${report.problems.length === 1 ? '' : 's'}):`,
    );
    for (const p of report.problems)
      lines.push(`  - ${p.message.split('\n').join('\n    ')}`, `    fix: ${p.fix}`);
  } else {
    lines.push('', 'result        nothing found that stops a flash of this image');
  }
  return lines.join('\n');
}

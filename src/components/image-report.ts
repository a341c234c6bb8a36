/**
 * Reads the image module's inspection report (`state.image.report`, typed `unknown` on
 * purpose) defensively: whatever is present and well-formed is shown, anything else is
 * skipped, and nothing here throws.
 */

type Rec = Readonly<Record<string, unknown>>;

const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const strs = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

export interface HeaderRow {
  readonly field: string;
  readonly value: string;
  readonly hex: string | null;
  readonly note: string | null;
}

export interface ReportView {
  readonly compatibility: {
    readonly verdict: string;
    readonly summary: string | null;
    readonly explanation: readonly string[];
    readonly advice: string | null;
  } | null;
  readonly headers: readonly { readonly title: string; readonly rows: readonly HeaderRow[] }[];
  readonly plan: {
    readonly firstLenData: number | null;
    readonly lastLenData: number | null;
    readonly totalCalls: number | null;
  } | null;
  readonly checksum: { readonly status: string; readonly detail: string | null } | null;
  readonly formatEvidence: string | null;
  readonly payloadOffset: number | null;
}

function headerRows(view: unknown): HeaderRow[] {
  if (!isRec(view) || !Array.isArray(view.fields)) return [];
  return view.fields.filter(isRec).flatMap((row) => {
    const field = str(row.field);
    if (!field) return [];
    const raw = row.value;
    const value = typeof raw === 'number' || typeof raw === 'string' ? String(raw) : 'unknown';
    return [{ field, value, hex: str(row.hex), note: str(row.note) }];
  });
}

export function readImageReport(report: unknown): ReportView {
  const r: Rec = isRec(report) ? report : {};
  const compat = isRec(r.compatibility) ? r.compatibility : null;
  const verdict = compat ? str(compat.verdict) : null;
  const header = isRec(r.header) ? r.header : {};
  const headers = [
    { title: 'Header the kernel will build', rows: headerRows(header.kernel) },
    {
      title: 'Header found in the file (stripped before flashing)',
      rows: headerRows(header.embedded),
    },
  ].filter((h) => h.rows.length > 0);
  const plan = isRec(r.plan) ? r.plan : null;
  const checksum = isRec(r.checksum) ? r.checksum : null;
  const status = checksum ? str(checksum.status) : null;
  const image = isRec(r.image) ? r.image : null;
  const format = isRec(r.format) ? r.format : null;
  return {
    compatibility:
      compat && verdict
        ? {
            verdict,
            summary: str(compat.summary),
            explanation: strs(compat.explanation),
            advice: str(compat.advice),
          }
        : null,
    headers,
    plan: plan
      ? {
          firstLenData: num(plan.firstLenData),
          lastLenData: num(plan.lastLenData),
          totalCalls: num(plan.totalCalls),
        }
      : null,
    checksum:
      checksum && status
        ? {
            status,
            detail:
              [
                str(checksum.expected) ? `expected ${String(checksum.expected)}` : null,
                str(checksum.source) ? `from the ${String(checksum.source)}` : null,
                str(checksum.note),
              ]
                .filter((x): x is string => x !== null)
                .join(', ') || null,
          }
        : null,
    formatEvidence: format ? str(format.evidence) : null,
    payloadOffset: image ? num(image.payloadOffset) : null,
  };
}

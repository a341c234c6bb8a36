/**
 * Every command's --json output parses and matches its documented schema (docs/schema), and a
 * flash with --json in a pipe carries no escape sequences and nothing but events on stdout.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { sampleImage } from '../helpers/engine.js';
import { isDateTime, schemaValidator } from '../helpers/schema.js';

const ajv = schemaValidator();
const compiled = new Map<string, ReturnType<typeof ajv.compile>>();
/** Each schema compiled once (ajv refuses a second schema with the same $id). */
function schema(name: string): ReturnType<typeof ajv.compile> {
  let validate = compiled.get(name);
  if (!validate) {
    validate = ajv.compile(
      JSON.parse(readFileSync(`docs/schema/${name}.schema.json`, 'utf8')) as object,
    );
    compiled.set(name, validate);
  }
  return validate;
}
const expectValid = (name: string, value: unknown): void => {
  const validate = schema(name);
  const ok = validate(value);
  expect(ok, `${name}: ${ajv.errorsText(validate.errors)}`).toBe(true);
};

let dir: string;
let image: string;
let flashOut: { code: number | null; stdout: string; stderr: string };
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cxl-schema-'));
  image = join(dir, 'image.bin');
  writeFileSync(image, sampleImage(2_500_000, 9));
  flashOut = await runCli([
    '--simulate=speed@200',
    '--state-dir',
    dir,
    'flash',
    image,
    '--yes',
    '--json',
  ]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sim = (...args: string[]) => runCli(['--simulate', '--state-dir', dir, ...args]);

describe('--json output matches docs/schema', () => {
  it('flash --json: only events on stdout, each valid, ending with one result', () => {
    expect(flashOut.code).toBe(0);
    expect(flashOut.stdout).not.toContain('\u001b');
    const lines = flashOut.stdout.trimEnd().split('\n');
    const events = lines.map((l) => JSON.parse(l) as { event: string });
    for (const e of events) expectValid('events', e);
    expect(events.filter((e) => e.event === 'result')).toHaveLength(1);
    expect(events.at(-1)?.event).toBe('result');
    expect(new Set(events.map((e) => e.event))).toEqual(
      new Set([
        'start',
        'phase',
        'adapters',
        'adapter',
        'image',
        'preflight',
        'plan',
        'progress',
        'reload',
        'result',
      ]),
    );
  });

  it('a failing flash still ends with a valid result and error event', async () => {
    const r = await runCli([
      '--simulate=speed@200,download-fail@2:H_HARDWARE',
      '--state-dir',
      dir,
      'flash',
      image,
      '--yes',
      '--force', // the card already runs this image (beforeAll flashed it)
      '--json',
    ]);
    expect(r.code).toBe(1);
    const events = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { event: string });
    for (const e of events) expectValid('events', e);
    expect(events.map((e) => e.event).slice(-2)).toEqual(['phase', 'result']);
    expect(events.some((e) => e.event === 'error')).toBe(true);
  });

  it.each([
    ['list', ['list', '--json']],
    ['status', ['status', '--json']],
    ['history', ['history', '--json']],
    ['recover', ['recover', '--json']],
    ['doctor', ['doctor', '--json']],
  ])('%s --json prints one valid document', async (name, args) => {
    const r = await sim(...args);
    expect(r.code).toBe(0);
    expectValid(name, JSON.parse(r.stdout));
  });

  it('inspect --json prints one valid document', async () => {
    const r = await sim('inspect', image, '--json');
    expect(r.code).toBe(0);
    expectValid('inspect', JSON.parse(r.stdout));
  });

  it('inspect --json of a missing image prints the error document, and the schema takes it', async () => {
    const r = await sim('inspect', join(dir, 'MISSING.bin'), '--json');
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout) as { ok: boolean; error: { problem: string } };
    expect(doc).toMatchObject({ ok: false, error: { problem: 'missing' } });
    expectValid('inspect', doc);
    const broken = { schema: 'cxl-flasher.inspect/1', ok: true, error: doc.error };
    expect(schema('inspect')(broken)).toBe(false);
  });

  it('checks date-time fields instead of ignoring their format', () => {
    expect(isDateTime('2026-11-25T07:01:00.123Z')).toBe(true);
    expect(isDateTime('2026-11-25T07:01:00+01:00')).toBe(true);
    expect(isDateTime('2026-11-25 07:01')).toBe(false);
    expect(isDateTime('2026-13-25T07:01:00Z')).toBe(false);
    const validate = schema('events');
    const start = {
      event: 'start',
      schema: 1,
      tool: { name: 'cxl-flasher', version: '0.1.0' },
      command: 'flash',
      simulated: true,
      pid: 1,
    };
    expect(validate({ ...start, time: '2026-11-25T07:01:00Z' })).toBe(true);
    expect(validate({ ...start, time: 'yesterday' })).toBe(false);
  });

  it('the schemas are strict enough to reject a broken event', () => {
    const validate = schema('events');
    expect(validate({ event: 'progress', time: '2026-11-25T00:00:00Z', phase: 'download' })).toBe(
      false,
    );
    expect(
      validate({ event: 'result', time: '2026-11-25T00:00:00Z', outcome: 'success', exitCode: 7 }),
    ).toBe(false);
  });
});

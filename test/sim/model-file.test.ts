/**
 * model.json is a file: what is in it is checked before the simulator uses it. A model with a
 * wrong field starts a factory-new adapter with a note naming the field and what to do, never
 * a TypeError blamed on the state directory.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { factoryModel, loadModel } from '../../src/sim/model.js';
import { runCli } from '../helpers/cli.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cxl-model-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const factory = factoryModel(0);
const BAD_MODELS: readonly [string, unknown, RegExp][] = [
  ['adapter null', { ...factory, adapter: null }, /adapter: an object, not null/],
  [
    'numeric location code',
    { ...factory, adapter: { ...factory.adapter, locationCode: 5 } },
    /adapter\.locationCode: a string, not 5/,
  ],
  ['image state', { ...factory, image: { ...factory.image, state: 'pwn' } }, /image\.state/],
  [
    'holder pid',
    { ...factory, holder: { pid: 'x', cardNumber: 0, transfer: false } },
    /holder\.pid/,
  ],
  ['an array', [], /an object, not an array/],
];

describe('loadModel', () => {
  it('takes the factory model as it is', () => {
    writeFileSync(join(dir, 'model.json'), JSON.stringify(factory));
    expect(loadModel(dir)).toEqual({ model: factory, problem: null });
  });

  for (const [what, model, reason] of BAD_MODELS) {
    it(`refuses a model with a bad field: ${what}`, () => {
      writeFileSync(join(dir, 'model.json'), JSON.stringify(model));
      const loaded = loadModel(dir);
      expect(loaded.model).toBeNull();
      expect(loaded.problem).toMatch(reason);
      expect(loaded.problem).toMatch(/factory-new/);
    });
  }
});

describe('the CLI on a bad model.json', () => {
  it('list and status work, and say what was wrong', async () => {
    mkdirSync(join(dir, 'simulator'));
    writeFileSync(
      join(dir, 'simulator', 'model.json'),
      JSON.stringify({ ...factory, adapter: null }),
    );
    const list = await runCli(['--simulate', '--state-dir', dir, 'list']);
    expect(list.stderr).not.toMatch(/Cannot read properties|cannot keep its adapter/);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/note: model\.json is not a simulator model \(adapter: an object/);
    expect(list.stdout).toMatch(/factory-new adapter/);
    // the adapter it started is kept: the next command reads it without a note
    const status = await runCli(['--simulate', '--state-dir', dir, 'status']);
    expect(status.code).toBe(0);
  });
});

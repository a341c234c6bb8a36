import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SCENARIO_CATALOGUE } from '../../src/sim/scenarios.js';

describe('the README', () => {
  it('documents every simulator scenario in its table', () => {
    const readme = readFileSync('README.md', 'utf8');
    const missing = SCENARIO_CATALOGUE.map((s) => s.syntax).filter(
      (syntax) => !readme.includes(`| \`${syntax}\` |`),
    );
    expect(missing).toEqual([]);
  });
});

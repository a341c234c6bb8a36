/**
 * `npm test` output is clean: a component test that draws on a fake terminal must not leave
 * Ink's cursor-restore escape (`ESC[?25h`) in the output of the run. Runs one such test file in
 * a nested vitest and reads everything it printed.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('the test run output', () => {
  it('has no stray ESC[?25h after a test that draws on a fake terminal', () => {
    // CI unset, as on a developer's machine: with CI set Ink never hides the cursor.
    const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '0' };
    delete env.CI;
    delete env.CONTINUOUS_INTEGRATION;
    const r = spawnSync(
      process.execPath,
      [resolve('node_modules/vitest/vitest.mjs'), 'run', 'test/components/recovery.test.tsx'],
      { encoding: 'utf8', env, timeout: 120_000 },
    );
    const output = `${r.stdout}${r.stderr}`;
    // Whether the nested tests pass is their own business (they are timed, and this machine may
    // be busy); that they ran, drawing on fake terminals, and what the run printed is this one's.
    const plain = output.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), '');
    expect(plain).toMatch(/recovery\.test\.tsx \(11 tests/);
    expect(plain).toMatch(/Tests +\d+/);
    expect(output).not.toContain('\u001b[?25h');
  }, 150_000);
});

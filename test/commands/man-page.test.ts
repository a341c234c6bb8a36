import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXIT_CODE_TABLE } from '../../src/exit-codes.js';

const page = readFileSync('man/cxl-flasher.1', 'utf8');
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  man: string[];
  files: string[];
  version: string;
};

describe('the man page', () => {
  it('is built from docs/cxl-flasher.1.md and shipped through the man field', () => {
    expect(page.startsWith('.TH "CXL\\-FLASHER" "1"')).toBe(true);
    expect(page).toContain(`"${pkg.version}"`);
    expect(pkg.man).toEqual(['./man/cxl-flasher.1']);
    expect(pkg.files).toContain('man');
  });

  it('documents every command and every exit code', () => {
    for (const command of [
      'flash',
      'list',
      'status',
      'inspect',
      'history',
      'recover',
      'attach',
      'doctor',
      'completion',
    ]) {
      expect(page).toMatch(new RegExp(`\\\\fB${command}\\\\fP`));
    }
    for (const { code } of EXIT_CODE_TABLE) expect(page).toContain(`\\fB${code}\\fP:`);
  });

  it('renders with man(1) without warnings', () => {
    const r = spawnSync('man', ['--warnings', '-l', 'man/cxl-flasher.1'], {
      encoding: 'utf8',
      env: { ...process.env, MANWIDTH: '80', MAN_KEEP_STDERR: '1' },
    });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^SYNOPSIS$/m);
    expect(r.stdout).toMatch(/^EXIT STATUS$/m);
  });
});

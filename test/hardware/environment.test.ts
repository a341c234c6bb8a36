import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  driverSupportForKernel,
  hasHcallCa,
  readEnvironment,
} from '../../src/hardware/environment.js';
import { SystemRoot } from '../../src/hardware/system-root.js';

describe('driver support by kernel release (docs/kernel-contract.md §7)', () => {
  it.each([
    ['4.4.0-210-generic', 'too-old'],
    ['4.6.0', 'supported'],
    ['6.1.0-18-powerpc64le', 'supported'],
    ['6.12.48', 'supported'],
    ['6.14.2', 'deprecated'],
    ['6.15.0', 'removed'],
    ['7.0.1', 'removed'],
    ['garbage', 'unknown'],
  ])('%s is %s', (release, status) => {
    expect(driverSupportForKernel(release).status).toBe(status);
  });
});

describe('readEnvironment on a fixture tree', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cxl-env-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (path: string, content: string | Buffer): void => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  };

  it('reads a PowerVM guest with the driver and two card nodes', () => {
    write('proc/sys/kernel/osrelease', '6.1.0-18-powerpc64le\n');
    write(
      'proc/device-tree/rtas/ibm,hypertas-functions',
      Buffer.from('hcall-pft\0hcall-ca\0hcall-multi-tce\0'),
    );
    mkdirSync(join(dir, 'sys/module/cxl'), { recursive: true });
    write('dev/cxl/card10', '');
    write('dev/cxl/card2', '');
    write('dev/cxl/afu2.0m', '');
    const env = readEnvironment(new SystemRoot(dir));
    expect(env.kernelRelease).toBe('6.1.0-18-powerpc64le');
    expect(env.driver.status).toBe('supported');
    expect(env.cxlModuleLoaded).toBe(true);
    expect(env.powervmGuest).toBe(true);
    expect(env.cardNodes.map((c) => c.name)).toEqual(['card2', 'card10']);
    expect(env.cardNodes[0]?.kind).toBe('file');
  });

  it('reports a bare machine: no hypertas property, no module, no nodes', () => {
    write('proc/sys/kernel/osrelease', '6.16.0\n');
    const env = readEnvironment(new SystemRoot(dir));
    expect(env.powervmGuest).toBeNull();
    expect(env.hypertasDetail).toMatch(/missing/);
    expect(env.cxlModuleLoaded).toBe(false);
    expect(env.cardNodes).toEqual([]);
    expect(env.driver.status).toBe('removed');
  });

  it('says a partition without hcall-ca is not a guest that can flash', () => {
    expect(hasHcallCa(Buffer.from('hcall-pft\0hcall-cab\0'))).toBe(false);
    expect(hasHcallCa(Buffer.from('hcall-ca'))).toBe(true);
  });
});

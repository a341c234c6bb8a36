/**
 * Builds the kernel harness: drivers/misc/cxl/flash.c and hcalls.c, taken unmodified from the
 * Debian package linux-source-6.12 at test time (never stored in this repository: they are
 * GPL-2.0), compiled with our stand-in headers (include/) and harness.c into one shared library
 * per kernel page size.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Where apt-get install linux-source-6.12 puts the tarball; CXL_LINUX_SOURCE overrides it. */
export const DEFAULT_TARBALL = '/usr/src/linux-source-6.12.tar.xz';
const TOP = 'linux-source-6.12';
/** The only kernel files the harness compiles or includes. */
export const KERNEL_FILES = [
  'drivers/misc/cxl/flash.c',
  'drivers/misc/cxl/hcalls.c',
  'drivers/misc/cxl/hcalls.h',
  'include/uapi/misc/cxl.h',
] as const;

export type KernelPageSize = 4096 | 65536;

export function kernelTarball(): string | null {
  const path = process.env.CXL_LINUX_SOURCE ?? DEFAULT_TARBALL;
  return existsSync(path) ? path : null;
}

/** Why the harness cannot run here, or null when it can. */
export function harnessUnavailable(): string | null {
  if (process.platform !== 'linux') return 'the kernel harness needs Linux';
  if (!kernelTarball())
    return `no kernel source at ${process.env.CXL_LINUX_SOURCE ?? DEFAULT_TARBALL} (apt-get install linux-source-6.12)`;
  try {
    execFileSync(process.env.CC ?? 'cc', ['--version'], { stdio: 'pipe' });
  } catch {
    return 'no C compiler (cc)';
  }
  return null;
}

/** Extract the four kernel files once per tarball (its size and mtime name the cache). */
export function extractKernelSource(
  cacheRoot = join(tmpdir(), 'cxl-flasher-kernel-harness'),
): string {
  const tarball = kernelTarball();
  if (!tarball) throw new Error(harnessUnavailable() ?? 'no kernel source');
  const st = statSync(tarball);
  const dir = join(cacheRoot, `src-${st.size}-${Math.trunc(st.mtimeMs)}`);
  if (existsSync(dir)) return dir;
  // extracted beside it, then renamed: test files in parallel workers may all get here at once
  mkdirSync(cacheRoot, { recursive: true });
  const partial = mkdtempSync(join(cacheRoot, 'partial-'));
  execFileSync(
    'tar',
    [
      '-xJf',
      tarball,
      '-C',
      partial,
      '--strip-components=1',
      ...KERNEL_FILES.map((f) => `${TOP}/${f}`),
    ],
    { stdio: 'pipe' },
  );
  try {
    renameSync(partial, dir);
  } catch {
    rmSync(partial, { recursive: true, force: true }); // another worker's copy won
  }
  return dir;
}

/** Compile the harness library for one kernel page size; returns its path. */
export function buildKernelHarness(
  pageSize: KernelPageSize,
  outDir: string,
  options: { compiler?: string; cacheRoot?: string } = {},
): string {
  const src = extractKernelSource(options.cacheRoot);
  mkdirSync(outDir, { recursive: true });
  const output = join(outDir, `libcxlkernel-${pageSize}.so`);
  if (existsSync(output)) return output;
  const cxl = join(src, 'drivers/misc/cxl');
  execFileSync(
    options.compiler ?? process.env.CC ?? 'cc',
    [
      '-shared',
      '-fPIC',
      '-O1',
      '-g',
      '-std=gnu11',
      '-fno-strict-aliasing',
      '-D__SANE_USERSPACE_TYPES__',
      `-DHARNESS_PAGE_SIZE=${pageSize}`,
      '-I',
      join(here, 'include'),
      '-I',
      join(src, 'include'),
      '-o',
      output,
      join(here, 'harness.c'),
      join(cxl, 'flash.c'),
      join(cxl, 'hcalls.c'),
      '-ldl',
      '-lpthread',
    ],
    { stdio: 'pipe' },
  );
  return output;
}

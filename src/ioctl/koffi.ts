/**
 * koffi for src/ioctl/libc.ts, loaded so that a machine without koffi's native prebuild (a
 * package installed with --omit=optional, or a CPU koffi ships no prebuild for) gets a refusal
 * that names the missing package, instead of koffi's "did you bundle it correctly?".
 */
import { createRequire } from 'node:module';
import type * as KoffiModule from 'koffi';
import { ExitCode, UserFacingError } from '../exit-codes.js';
import { dependencyVersion } from '../version.js';

function installed(name: string): boolean {
  try {
    createRequire(import.meta.url).resolve(name);
    return true;
  } catch {
    return false;
  }
}

async function loadKoffi(): Promise<typeof KoffiModule.default> {
  try {
    return (await import('koffi')).default;
  } catch (error) {
    const machine = `${process.platform}-${process.arch}`;
    const prebuild = `@koromix/koffi-${machine}`;
    const problem = installed(prebuild)
      ? `koffi's native module for ${machine} could not be loaded (${error instanceof Error ? error.message : String(error)})`
      : `koffi's native module for ${machine} (${prebuild}) is not installed`;
    throw new UserFacingError(
      `${problem}; it is needed to open a card device or lock the state directory.`,
      ExitCode.PreflightRefused,
      `Install ${prebuild}@${dependencyVersion('koffi')} beside cxl-flasher (npm installs it unless told --omit=optional), or use the offline bundle for this architecture.`,
    );
  }
}

const koffi = await loadKoffi();
export default koffi;

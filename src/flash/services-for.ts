/** The engine's services on a system root: the real machine's, or the simulator's. */
import type { CommandContext } from '../commands/context.js';
import { readCards } from '../hardware/cards.js';
import { readEnvironment } from '../hardware/environment.js';
import {
  lastDownloadFacilityFailure,
  markKernelLog,
  type KernelLogMark,
} from '../hardware/kernel-log.js';
import { runPreflight } from '../hardware/preflight.js';
import { waitForReload } from '../hardware/reload-watcher.js';
import { readDeviceUsers } from '../hardware/users.js';
import { systemLibc } from '../ioctl/libc.js';
import { currentLockHolder } from '../journal/lock.js';
import { simulatedImageEvidence } from '../sim/image-evidence.js';
import { loadFlashImage } from './image-service.js';
import type { EngineServices } from './services.js';

export function createEngineServices(context: CommandContext): EngineServices {
  const { root, simulation } = context;
  return {
    simulated: context.simulated,
    stateDir: context.stateDir,
    runDir: context.runDir,
    discoverCards: () => readCards(root),
    deviceUsers: () => readDeviceUsers(root).users,
    driverLoaded: () => readEnvironment(root).cxlModuleLoaded,
    lockHolder: () => currentLockHolder(context.stateDir, systemLibc()),
    imageEvidence: simulation ? () => simulatedImageEvidence(simulation.state()) : undefined,
    preflight: (card, imageSize) => runPreflight(root, { card, imageSize, ownPid: process.pid }),
    markKernelLog: () => markKernelLog(root),
    hcallSince: (mark) => {
      const line = lastDownloadFacilityFailure(root, mark as KernelLogMark);
      return line ? { rc: line.rc, name: line.rcName, meaning: line.meaning } : null;
    },
    waitForReload: async (request) => {
      const loc = request.card.node.locationCode;
      const result = await waitForReload(root, {
        locationCode: loc.ok ? loc.value : '',
        previous: request.card,
        deadlineMs: request.deadlineMs,
        signal: request.signal,
        onState: request.onState,
      });
      return result.kind === 'returned'
        ? { kind: 'returned', card: result.card, renumbered: result.renumbered }
        : { kind: 'timeout', disappeared: result.disappeared };
    },
    loadImage: (request) => loadFlashImage(request, context.simulated),
    deviceSpec: (path) => {
      // The flasher's lock is held from here: the simulator's setup lock may go.
      context.simulation?.releaseSetup();
      return context.deviceSpec(path);
    },
    deviceThreadEnded: (faults) => context.simulation?.faultsFired(faults),
  };
}

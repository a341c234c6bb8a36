/**
 * Wires a run's audit trail (src/report/audit-log.ts) to the syslog socket: /dev/log under the
 * system root (the simulator's root with --simulate, so a test can listen there), sent with a
 * non-blocking koffi sendto (src/ioctl/unix-datagram.ts) rather than a logger(1) child: no
 * process to fork from a root process mid-run, no PATH to trust, the same on every util-linux.
 */
import type { EventBus } from '../flash/event-bus.js';
import type { Operator } from '../flash/operator.js';
import { sendUnixDatagram } from '../ioctl/unix-datagram.js';
import { attachAuditLog } from '../report/audit-log.js';
import type { CommandContext } from './context.js';

export function startAuditLog(
  context: CommandContext,
  bus: EventBus,
  operator: Operator,
  env: NodeJS.ProcessEnv = process.env,
): () => void {
  return attachAuditLog(bus, {
    socketPath: context.root.path('/dev/log'),
    user: operator.user,
    sudoUser: env.SUDO_USER ?? null,
    pid: operator.pid,
    send: sendUnixDatagram,
  });
}

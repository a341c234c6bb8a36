/**
 * The audit trail in the system log: each attempt's start (when the card device is about to be
 * opened) and end (its result), with the user, the card by location code, the image's SHA-256,
 * the outcome and the exit code, under the identifier `cxl-flasher` (`journalctl -t
 * cxl-flasher`). Sent as an RFC 3164 datagram to /dev/log, the form glibc's syslog(3) sends and
 * both journald and rsyslog read. Failures are logged at priority err, the rest at notice.
 * Sending never waits and never fails the flash: a missing or full syslog socket is ignored.
 */
import type { EventBus } from '../flash/event-bus.js';
import type { FlashEvent } from '../flash/events.js';

export const SYSLOG_IDENTIFIER = 'cxl-flasher';
/** LOG_USER */
const FACILITY = 1;
const LOG_ERR = 3;
const LOG_NOTICE = 5;
/** syslog daemons may cut longer lines; a path is elided well before that */
const MAX_VALUE = 400;

export interface AuditTarget {
  /** the syslog socket, /dev/log under the system root */
  readonly socketPath: string;
  readonly user: string;
  /** the user behind sudo, when there is one */
  readonly sudoUser?: string | null;
  readonly pid?: number;
  /** sends one datagram; must not throw or block */
  send(socketPath: string, message: Buffer): unknown;
  readonly now?: () => Date;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** RFC 3164's TIMESTAMP, local time: `Dec  1 01:36:56`. */
export function rfc3164Time(d: Date): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${MONTHS[d.getMonth()]} ${String(d.getDate()).padStart(2, ' ')} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** A value as `key=value`; quoted (JSON) when it has spaces, quotes or control characters. */
function field(key: string, value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? '-' : String(value);
  if (text.length > MAX_VALUE)
    text = `${text.slice(0, MAX_VALUE / 2)}…${text.slice(-MAX_VALUE / 2)}`;
  return /^[\x21-\x7e]+$/.test(text) && !text.includes('"')
    ? `${key}=${text}`
    : `${key}=${JSON.stringify(text)}`;
}

export function syslogDatagram(severity: number, message: string, pid: number, now: Date): Buffer {
  return Buffer.from(
    `<${FACILITY * 8 + severity}>${rfc3164Time(now)} ${SYSLOG_IDENTIFIER}[${pid}]: ${message}`,
    'utf8',
  );
}

/** Subscribes to a run's events and logs each attempt's start and end. */
export function attachAuditLog(bus: EventBus, target: AuditTarget): () => void {
  let card: Extract<FlashEvent, { event: 'adapter' }>['card'] | null = null;
  let image: Extract<FlashEvent, { event: 'image' }> | null = null;
  let started = false;
  let simulated = false;
  const who = (): string[] => [
    field('user', target.user),
    ...(target.sudoUser ? [field('sudo_user', target.sudoUser)] : []),
    field('card', card?.name),
    field('location', card?.locationCode),
    field('sha256', image?.sha256),
    ...(simulated ? [field('simulated', 'yes')] : []),
  ];
  const log = (severity: number, words: string[]): void => {
    try {
      const datagram = syslogDatagram(
        severity,
        words.join(' '),
        target.pid ?? process.pid,
        (target.now ?? (() => new Date()))(),
      );
      target.send(target.socketPath, datagram);
    } catch {
      // the audit trail must never stop a flash
    }
  };
  return bus.subscribe((event) => {
    if (event.event === 'start') simulated = event.simulated;
    else if (event.event === 'adapter') card = event.card;
    else if (event.event === 'image') image = event;
    else if (event.event === 'phase' && event.phase === 'opening' && !started) {
      started = true;
      log(LOG_NOTICE, ['flash start:', ...who(), field('image', image?.path)]);
    } else if (event.event === 'result' && started) {
      started = false;
      log(event.exitCode === 0 ? LOG_NOTICE : LOG_ERR, [
        'flash end:',
        field('outcome', event.outcome),
        field('exit', event.exitCode),
        ...who(),
        field('journal', event.journalId),
      ]);
    }
  });
}

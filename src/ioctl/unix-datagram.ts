/**
 * One datagram to a unix socket (the syslog socket, /dev/log) through koffi: Node has no unix
 * datagram sockets. The socket is non-blocking, so a syslog daemon that does not read (a full
 * queue: EAGAIN) or is not there (ENOENT, ECONNREFUSED) costs one failed system call and never
 * a wait; the caller gets the errno and decides to ignore it.
 */
import koffi from './koffi.js';
import type { KoffiFunc } from 'koffi';

/** Linux values on x86, arm and powerpc (they differ only on alpha, mips, parisc and sparc). */
const AF_UNIX = 1;
const SOCK_DGRAM = 2;
const SOCK_NONBLOCK = 0o4000;
const SOCK_CLOEXEC = 0o2000000;
/** sizeof(sun_path) in struct sockaddr_un */
const SUN_PATH_MAX = 108;
const ENAMETOOLONG = 36;

const SockaddrUn = koffi.struct({
  sun_family: 'uint16_t',
  sun_path: koffi.array('uint8_t', SUN_PATH_MAX, 'Array'),
});

type SocketFn = (domain: number, type: number, protocol: number) => number;
type SendtoFn = (
  fd: number,
  buf: Buffer,
  len: number,
  flags: number,
  addr: { sun_family: number; sun_path: number[] },
  addrlen: number,
) => number;
type CloseFn = (fd: number) => number;

interface Bindings {
  readonly socket: KoffiFunc<SocketFn>;
  readonly sendto: KoffiFunc<SendtoFn>;
  readonly close: KoffiFunc<CloseFn>;
}

let bindings: Bindings | undefined;
function libc(): Bindings {
  if (!bindings) {
    const lib = koffi.load('libc.so.6');
    bindings = {
      socket: lib.func('int socket(int domain, int type, int protocol)') as KoffiFunc<SocketFn>,
      sendto: lib.func('sendto', 'intptr_t', [
        'int',
        'void *',
        'size_t',
        'int',
        koffi.pointer(SockaddrUn),
        'uint32_t',
      ]) as KoffiFunc<SendtoFn>,
      close: lib.func('int close(int fd)') as KoffiFunc<CloseFn>,
    };
  }
  return bindings;
}

export type DatagramResult = { readonly ok: true } | { readonly ok: false; readonly errno: number };

/** Send `message` to the unix datagram socket at `path`, without waiting. Never throws. */
export function sendUnixDatagram(path: string, message: Buffer): DatagramResult {
  const pathBytes = Buffer.from(path, 'utf8');
  if (pathBytes.length >= SUN_PATH_MAX) return { ok: false, errno: ENAMETOOLONG };
  try {
    const c = libc();
    const fd = c.socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return { ok: false, errno: koffi.errno() };
    try {
      const sunPath = new Array<number>(SUN_PATH_MAX).fill(0);
      pathBytes.forEach((b, i) => (sunPath[i] = b));
      // offsetof(sun_path) is 2: the family, then the path and its terminating NUL
      const sent = c.sendto(
        fd,
        message,
        message.length,
        0,
        { sun_family: AF_UNIX, sun_path: sunPath },
        2 + pathBytes.length + 1,
      );
      return sent < 0 ? { ok: false, errno: koffi.errno() } : { ok: true };
    } finally {
      c.close(fd);
    }
  } catch {
    // koffi or libc unavailable: there is no syslog to write to
    return { ok: false, errno: 0 };
  }
}

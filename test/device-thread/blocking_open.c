/*
 * A card device whose open() waits the way flash.c `device_open` does, for the device-thread
 * tests: while another holder has the card (a file `<path>.held` exists) the caller sleeps in an
 * interruptible wait, as `down_interruptible` does, and a signal delivered to the waiting thread
 * ends the wait with EPERM, as the driver answers (never a restart). Once the holder is gone the
 * open succeeds (a descriptor of /dev/null stands in for the card).
 *
 * Only open is defined here: ioctl, close and flock resolve to libc's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* 0 never called, 1 waiting, 2 interrupted by a signal, 3 opened */
static volatile int open_state;
static volatile long waiting_thread;

int shim_open_state(void) { return open_state; }
long shim_waiting_thread(void) { return waiting_thread; }

int open(const char *path, int flags, ...)
{
	char held[4096];
	struct timespec tick = { 0, 5 * 1000 * 1000 };
	(void)flags;
	if (snprintf(held, sizeof held, "%s.held", path) >= (int)sizeof held) {
		errno = ENAMETOOLONG;
		return -1;
	}
	waiting_thread = syscall(SYS_gettid);
	open_state = 1;
	while (access(held, F_OK) == 0) {
		if (nanosleep(&tick, NULL) == -1 && errno == EINTR) {
			open_state = 2;
			errno = EPERM; /* flash.c: down_interruptible failed */
			return -1;
		}
	}
	open_state = 3;
	return (int)syscall(SYS_openat, AT_FDCWD, "/dev/null", O_RDWR | O_CLOEXEC);
}

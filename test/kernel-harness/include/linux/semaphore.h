/* Stand-in for the kernel's <linux/semaphore.h>: see harness-kernel.h. */
#include "../harness-kernel.h"

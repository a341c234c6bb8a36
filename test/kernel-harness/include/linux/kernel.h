/* Stand-in for the kernel's <linux/kernel.h>: see harness-kernel.h. */
#include "../harness-kernel.h"

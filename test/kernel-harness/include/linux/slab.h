/* Stand-in for the kernel's <linux/slab.h>: see harness-kernel.h. */
#include "../harness-kernel.h"

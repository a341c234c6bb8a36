/* Stand-in for the kernel's <linux/types.h>: see harness-kernel.h. */
#include "../harness-kernel.h"

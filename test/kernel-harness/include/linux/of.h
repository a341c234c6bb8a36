/* Stand-in for the kernel's <linux/of.h>: see harness-kernel.h. */
#include "../harness-kernel.h"

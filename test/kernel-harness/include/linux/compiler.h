/* Stand-in for the kernel's <linux/compiler.h>: see harness-kernel.h. */
#include "../harness-kernel.h"

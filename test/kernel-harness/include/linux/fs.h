/* Stand-in for the kernel's <linux/fs.h>: see harness-kernel.h. */
#include "../harness-kernel.h"

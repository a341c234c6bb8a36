/* Stand-in for the kernel's <linux/uaccess.h>: see harness-kernel.h. */
#include "../harness-kernel.h"

/* Stand-in for the kernel's <linux/delay.h>: see harness-kernel.h. */
#include "../harness-kernel.h"

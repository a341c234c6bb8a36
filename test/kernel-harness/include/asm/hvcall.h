/* Stand-in for the kernel's <asm/hvcall.h>: see harness-kernel.h. */
#include "../harness-kernel.h"

/* Stand-in for the kernel's <asm/byteorder.h>: see harness-kernel.h. */
#include "../harness-kernel.h"

/* Stand-in for the kernel's <asm/rtas.h>: see harness-kernel.h. */
#include "../harness-kernel.h"

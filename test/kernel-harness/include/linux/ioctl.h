/* Stand-in for the kernel's <linux/ioctl.h>: this host's own ioctl encoding (asm/ioctl.h). */
#include <asm/ioctl.h>

/*
 * Stand-in for drivers/misc/cxl/cxl.h: only what flash.c, hcalls.h and hcalls.c use. The ABI
 * (struct cxl_adapter_image, the ioctl numbers, CXL_AI_*) comes from the kernel's own
 * include/uapi/misc/cxl.h, extracted from linux-source-6.12 at build time.
 */
#ifndef HARNESS_CXL_H
#define HARNESS_CXL_H

#include "harness-kernel.h"
#include <uapi/misc/cxl.h>

#define CXL_MAX_SLICES 4

struct cxl_afu {
	int slice;
};

/* cxl.h: struct cxl_guest, the fields flash.c reads */
struct cxl_guest {
	struct cdev cdev;
	u64 handle;
	u16 vendor;
	u16 device;
	u16 subsystem_vendor;
	u16 subsystem;
};

struct cxl {
	struct cxl_guest *guest;
	struct cxl_afu *afu[CXL_MAX_SLICES];
	struct device dev;
	int adapter_num;
	int slices;
};

/* PAPR process element, used only by prototypes in hcalls.h */
struct cxl_process_element_common {
	__be32 tid;
	__be32 pid;
	__be64 csrp;
	u8 rest[96];
} __packed;

struct cxl_irq_info {
	u64 dsisr;
	u64 dar;
	u64 dsr;
	u64 reserved;
	u64 afu_err;
	u64 errstat;
	u64 proc_handle;
	u64 padding[2];
};

#define CXL_CARD_MINOR(adapter) ((adapter)->adapter_num)
#define CXL_DEVT_ADAPTER(dev) (MINOR(dev))
dev_t cxl_get_dev(void);
struct cxl *get_cxl_adapter(int num);
void cxl_guest_remove_afu(struct cxl_afu *afu);
void cxl_guest_reload_module(struct cxl *adapter);
int cxl_update_properties(struct device_node *dn, struct property *new_prop);
void cxl_dump_debug_buffer(void *addr, size_t size);

/* flash.c's own entry points, reached through the file_operations they register */
void cxl_guest_remove_chardev(struct cxl *adapter);
int cxl_guest_add_chardev(struct cxl *adapter);

#endif

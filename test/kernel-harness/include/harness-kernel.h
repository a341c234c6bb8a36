/*
 * The kernel APIs that drivers/misc/cxl/flash.c and hcalls.c use, as small user-space stand-ins
 * (our own code, Apache-2.0; no kernel source is copied here). Every <linux/...> and <asm/...>
 * header those two files include is a one-line file in this directory that includes this one.
 * The implementations are in harness.c.
 */
#ifndef HARNESS_KERNEL_H
#define HARNESS_KERNEL_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <string.h>
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>

/* ---- types: the kernel uses int-ll64 everywhere (ppc64 user space needs asking for it) ---- */
#ifndef __SANE_USERSPACE_TYPES__
#define __SANE_USERSPACE_TYPES__
#endif
#include <asm/types.h>
typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s8 s8;
typedef __s16 s16;
typedef __s32 s32;
typedef __s64 s64;
typedef u16 __be16;
typedef u32 __be32;
typedef u64 __be64;
typedef u16 __le16;
typedef u32 __le32;
typedef u64 __le64;
typedef u16 __sum16;
typedef u32 __wsum;
#define __aligned_u64 __u64 __attribute__((aligned(8)))
#include <sys/types.h> /* dev_t */
typedef unsigned long irq_hw_number_t;
typedef int irqreturn_t;
typedef unsigned int gfp_t;
#define __user
#define __packed __attribute__((packed))
#define GFP_KERNEL 0u
#define THIS_MODULE NULL

/* ---- byte order: the header and the S/G list are big-endian whatever the host ---- */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define cpu_to_be16(x) __builtin_bswap16((u16)(x))
#define cpu_to_be32(x) __builtin_bswap32((u32)(x))
#define cpu_to_be64(x) __builtin_bswap64((u64)(x))
#else
#define cpu_to_be16(x) ((u16)(x))
#define cpu_to_be32(x) ((u32)(x))
#define cpu_to_be64(x) ((u64)(x))
#endif
#define be16_to_cpu(x) cpu_to_be16(x)
#define be32_to_cpu(x) cpu_to_be32(x)
#define be64_to_cpu(x) cpu_to_be64(x)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define BUG_ON(cond) do { if (cond) harness_bug(__FILE__, __LINE__); } while (0)
void harness_bug(const char *file, int line) __attribute__((noreturn));

/* ---- printk: lines go to the harness's kernel log (kernel vsnprintf's "%#x" of 0 is "0x0") ---- */
#define KERN_ERR_LEVEL 3
#define KERN_WARNING_LEVEL 4
void harness_printk(int level, const char *fmt, ...);
void harness_warn(const char *func, const char *fmt, ...);
static inline void harness_no_printk(const char *fmt, ...) { (void)fmt; }
#define pr_err(...) harness_printk(KERN_ERR_LEVEL, __VA_ARGS__)
#define pr_devel(...) harness_no_printk(__VA_ARGS__)
#define dev_err(dev, ...) harness_printk(KERN_ERR_LEVEL, __VA_ARGS__)
#define WARN(cond, ...) ({ int __c = !!(cond); if (__c) harness_warn(__func__, __VA_ARGS__); __c; })

/* ---- memory: pages are the kernel's PAGE_SIZE (HARNESS_PAGE_SIZE), each followed by a guard ---- */
#ifndef HARNESS_PAGE_SIZE
#define HARNESS_PAGE_SIZE 65536
#endif
#define PAGE_SIZE ((unsigned long)HARNESS_PAGE_SIZE)
unsigned long get_zeroed_page(gfp_t flags);
void free_page(unsigned long addr);
void *kzalloc(size_t size, gfp_t flags);
void kfree(const void *p);
char *kstrdup(const char *s, gfp_t flags);
/* the logical real address the hypervisor is handed, and back */
unsigned long harness_virt_to_phys(const volatile void *p);
#define virt_to_phys(p) harness_virt_to_phys(p)
/* 0 when all n bytes were copied, else how many were not (process_vm_readv on our own pid) */
unsigned long copy_from_user(void *to, const void __user *from, unsigned long n);

/* ---- locking ---- */
struct semaphore {
	sem_t sem;
};
void sema_init(struct semaphore *s, int count);
int down_interruptible(struct semaphore *s);
void up(struct semaphore *s);
typedef pthread_mutex_t spinlock_t;
#define spin_lock(l) pthread_mutex_lock(l)
#define spin_unlock(l) pthread_mutex_unlock(l)
void msleep(unsigned int msecs);

/* ---- devices and files ---- */
struct device {
	int refs;
	dev_t devt;
};
void put_device(struct device *dev);
struct inode {
	dev_t i_rdev;
};
struct file {
	void *private_data;
};
struct file_operations {
	void *owner;
	int (*open)(struct inode *, struct file *);
	long (*unlocked_ioctl)(struct file *, unsigned int, unsigned long);
	long (*compat_ioctl)(struct file *, unsigned int, unsigned long);
	int (*release)(struct inode *, struct file *);
};
long compat_ptr_ioctl(struct file *file, unsigned int cmd, unsigned long arg);
struct cdev {
	const struct file_operations *ops;
};
void cdev_init(struct cdev *cdev, const struct file_operations *fops);
int cdev_add(struct cdev *cdev, dev_t dev, unsigned count);
void cdev_del(struct cdev *cdev);
#define MINORBITS 20
#define MKDEV(ma, mi) (((dev_t)(ma) << MINORBITS) | (dev_t)(mi))
#define MAJOR(dev) ((unsigned int)((dev) >> MINORBITS))
#define MINOR(dev) ((unsigned int)((dev) & ((1U << MINORBITS) - 1)))

/* ---- device tree and RTAS (answered by the harness's small DT model) ---- */
struct device_node {
	u32 phandle;
};
struct property {
	char *name;
	int length;
	void *value;
	struct property *next;
};
struct device_node *of_find_node_by_phandle(u32 handle);
void of_node_put(struct device_node *node);
#define RTAS_DATA_BUF_SIZE 4096
#define RTAS_UNKNOWN_SERVICE (-1)
extern char rtas_data_buf[RTAS_DATA_BUF_SIZE];
extern spinlock_t rtas_data_buf_lock;
int rtas_token(const char *service);
int rtas_call(int token, int nargs, int nret, int *outputs, ...);

/* ---- hypervisor calls (answered by the hypervisor model through the TS side) ---- */
#define H_SUCCESS 0
#define H_BUSY 1
#define H_NOT_AVAILABLE 3
#define H_CONTINUE 18
#define H_LONG_BUSY_START_RANGE 9900
#define H_LONG_BUSY_END_RANGE 9905
#define H_HARDWARE (-1)
#define H_FUNCTION (-2)
#define H_PARAMETER (-4)
#define H_NOT_FOUND (-7)
#define H_AUTHORITY (-10)
#define H_RESOURCE (-16)
#define H_BAD_DATA (-70)
#define H_SG_LIST (-72)
#define H_STATE (-75)
#define H_IS_LONG_BUSY(x) ((x) >= H_LONG_BUSY_START_RANGE && (x) <= H_LONG_BUSY_END_RANGE)
#define PLPAR_HCALL_BUFSIZE 4
#define PLPAR_HCALL9_BUFSIZE 9
long plpar_hcall(unsigned long opcode, unsigned long *retbuf, ...);
long plpar_hcall9(unsigned long opcode, unsigned long *retbuf, ...);
/* PAPR: 9900 + n hints 10^n milliseconds */
static inline unsigned int get_longbusy_msecs(int rc)
{
	unsigned int ms = 1;
	if (!H_IS_LONG_BUSY(rc))
		return 1;
	for (int n = rc - H_LONG_BUSY_START_RANGE; n > 0; n--)
		ms *= 10;
	return ms;
}

#endif

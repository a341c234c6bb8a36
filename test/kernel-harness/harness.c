/*
 * The kernel around drivers/misc/cxl/flash.c and hcalls.c, in user space: the stand-ins declared
 * in include/harness-kernel.h, and the system calls the program makes. The library exports
 * open/ioctl/close; src/ioctl/libc.ts binds them through `new Libc({ libraryPath })`, so a card
 * path registered here reaches flash.c's own device_open, device_ioctl and device_close, and any
 * other path or fd goes to the C library.
 *
 * What the kernel would ask of the platform goes up to the TypeScript side (kernel-harness.ts):
 * each hypervisor call, each facility reset, each AFU removal, the reload, each device-tree
 * property the RTAS update brings, each kernel log line. The hypervisor call and the reload are
 * answered later (harness_answer), as the simulator's hypervisor works asynchronously; the
 * calling thread (koffi's worker, like a process in the kernel) waits for the answer.
 */
#define _GNU_SOURCE
#include "cxl.h"
#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

/* ---- what goes up to the TypeScript side ---- */
enum harness_event {
	EV_KMSG = 1,		/* a = level, text = the line */
	EV_FACILITY_RESET = 2,	/* a = unit address */
	EV_REMOVE_AFU = 3,	/* a = slice */
	EV_RELOAD = 4,		/* a = card number; answered by harness_answer */
	EV_UPDATE_PROPERTY = 5, /* a = length, b = first cell, text = name */
	EV_UPDATE_NODES = 6,	/* a = unit address: refresh the DT model now */
	EV_OPEN = 7,		/* a = card number, b = 0 or -errno */
	EV_CLOSE = 8,		/* a = card number (before release), b = 1 after release */
	EV_OVERRUN = 9,		/* a = bytes written past the end of a page, b = page size */
	EV_COPY_FAULT = 10,	/* a = bytes not copied */
};

typedef int (*event_cb)(int kind, long long a, long long b, const char *text);
typedef int (*hcall_cb)(long long op, const uint8_t *stream, long long length, long long entries,
			unsigned long long token);

static event_cb on_event;
static hcall_cb on_hcall;
static double sleep_divisor = 1.0;

static pthread_mutex_t answer_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t answer_ready = PTHREAD_COND_INITIALIZER;
static int answered;
static long long answer_rc;
static unsigned long long answer_r4;

void harness_set_callbacks(event_cb events, hcall_cb hcalls, double speed)
{
	on_event = events;
	on_hcall = hcalls;
	sleep_divisor = speed > 0 ? speed : 1.0;
}

/* The TypeScript side's answer to the hcall or reload the current thread waits for. */
void harness_answer(long long rc, unsigned long long r4)
{
	pthread_mutex_lock(&answer_lock);
	answer_rc = rc;
	answer_r4 = r4;
	answered = 1;
	pthread_cond_signal(&answer_ready);
	pthread_mutex_unlock(&answer_lock);
}

static void wait_answer(long long *rc, unsigned long long *r4)
{
	pthread_mutex_lock(&answer_lock);
	while (!answered)
		pthread_cond_wait(&answer_ready, &answer_lock);
	answered = 0;
	*rc = answer_rc;
	*r4 = answer_r4;
	pthread_mutex_unlock(&answer_lock);
}

static void emit(int kind, long long a, long long b, const char *text)
{
	if (on_event)
		on_event(kind, a, b, text ? text : "");
}

static void prepare_wait(void)
{
	pthread_mutex_lock(&answer_lock);
	answered = 0;
	pthread_mutex_unlock(&answer_lock);
}

void harness_bug(const char *file, int line)
{
	fprintf(stderr, "kernel BUG at %s:%d\n", file, line);
	abort();
}

/* ---- printk ---- */

/* lib/vsprintf.c prints "%#x" of 0 as "0x0" (glibc: "0"): write the 0x ourselves. */
static void kernel_format(char *out, size_t size, const char *fmt, va_list ap)
{
	char rewritten[512];
	size_t o = 0;
	for (const char *p = fmt; *p && o + 4 < sizeof rewritten; p++) {
		if (p[0] == '%' && p[1] == '#') {
			const char *q = p + 2;
			while (*q && strchr("0123456789.hlz", *q))
				q++;
			if (*q == 'x') {
				rewritten[o++] = '0';
				rewritten[o++] = 'x';
				rewritten[o++] = '%';
				p++; /* drop the '#' */
				continue;
			}
		}
		rewritten[o++] = *p;
	}
	rewritten[o] = '\0';
	vsnprintf(out, size, rewritten, ap);
}

static void log_line(int level, char *line)
{
	size_t n = strlen(line);
	if (n > 0 && line[n - 1] == '\n')
		line[n - 1] = '\0';
	emit(EV_KMSG, level, 0, line);
}

void harness_printk(int level, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	va_start(ap, fmt);
	kernel_format(line, sizeof line, fmt, ap);
	va_end(ap);
	log_line(level, line);
}

/* WARN(): the message between the cut marks, without the stack dump. */
void harness_warn(const char *func, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	strcpy(line, "------------[ cut here ]------------");
	log_line(KERN_WARNING_LEVEL, line);
	va_start(ap, fmt);
	kernel_format(line, sizeof line, fmt, ap);
	va_end(ap);
	log_line(KERN_WARNING_LEVEL, line);
	snprintf(line, sizeof line, "WARNING: CPU: 0 PID: %d at drivers/misc/cxl/hcalls.c %s [cxl]",
		 (int)getpid(), func);
	log_line(KERN_WARNING_LEVEL, line);
	strcpy(line, "---[ end trace 0000000000000000 ]---");
	log_line(KERN_WARNING_LEVEL, line);
}

void cxl_dump_debug_buffer(void *addr, size_t size)
{
	(void)addr;
	(void)size;
}

/* ---- pages: PAGE_SIZE bytes, then an inaccessible guard page ---- */

#define MAX_PAGES 600
/* The logical real address of page slot 0 (the S/G list, allocated first by device_open). */
#define FAKE_REAL_BASE 0x3c1e0000UL
static void *pages[MAX_PAGES];
static pthread_mutex_t pages_lock = PTHREAD_MUTEX_INITIALIZER;
static int fail_page_after = -1;
static size_t fail_kzalloc_size;

static size_t guard_size(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

static size_t mapped_size(void)
{
	size_t g = guard_size();
	return (PAGE_SIZE + g - 1) / g * g + g;
}

/* The next get_zeroed_page calls fail after `n` more succeed (-1: never). */
void harness_fail_page_after(int n)
{
	fail_page_after = n;
}

/* The next kzalloc of exactly `size` bytes fails (0: none). */
void harness_fail_kzalloc(size_t size)
{
	fail_kzalloc_size = size;
}

unsigned long get_zeroed_page(gfp_t flags)
{
	(void)flags;
	if (fail_page_after == 0)
		return 0;
	if (fail_page_after > 0)
		fail_page_after--;
	size_t total = mapped_size();
	char *p = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 0;
	mprotect(p + total - guard_size(), guard_size(), PROT_NONE);
	pthread_mutex_lock(&pages_lock);
	for (int i = 0; i < MAX_PAGES; i++) {
		if (!pages[i]) {
			pages[i] = p;
			pthread_mutex_unlock(&pages_lock);
			return (unsigned long)p;
		}
	}
	pthread_mutex_unlock(&pages_lock);
	munmap(p, total);
	return 0;
}

void free_page(unsigned long addr)
{
	pthread_mutex_lock(&pages_lock);
	for (int i = 0; i < MAX_PAGES; i++) {
		if (pages[i] == (void *)addr) {
			pages[i] = NULL;
			munmap((void *)addr, mapped_size());
		}
	}
	pthread_mutex_unlock(&pages_lock);
}

static int page_slot(const void *p)
{
	for (int i = 0; i < MAX_PAGES; i++) {
		const char *base = pages[i];
		if (base && (const char *)p >= base && (const char *)p < base + mapped_size())
			return i;
	}
	return -1;
}

unsigned long harness_virt_to_phys(const volatile void *p)
{
	pthread_mutex_lock(&pages_lock);
	int slot = page_slot((const void *)p);
	unsigned long real = slot < 0 ? (unsigned long)p
				      : FAKE_REAL_BASE + (unsigned long)slot * PAGE_SIZE +
						(unsigned long)((const char *)p - (const char *)pages[slot]);
	pthread_mutex_unlock(&pages_lock);
	return real;
}

static void *phys_to_virt(unsigned long real)
{
	unsigned long slot = (real - FAKE_REAL_BASE) / PAGE_SIZE;
	if (real < FAKE_REAL_BASE || slot >= MAX_PAGES || !pages[slot])
		return NULL;
	return (char *)pages[slot] + (real - FAKE_REAL_BASE) % PAGE_SIZE;
}

void *kzalloc(size_t size, gfp_t flags)
{
	(void)flags;
	if (fail_kzalloc_size != 0 && size == fail_kzalloc_size) {
		fail_kzalloc_size = 0;
		return NULL;
	}
	return calloc(1, size);
}

void kfree(const void *p)
{
	free((void *)p);
}

char *kstrdup(const char *s, gfp_t flags)
{
	(void)flags;
	return strdup(s);
}

/* ---- copy_from_user: the copy really reads the caller's memory, and faults as it would ---- */

static size_t read_own_memory(void *to, const void *from, size_t n)
{
	struct iovec local = { to, n }, remote = { (void *)from, n };
	ssize_t got = process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
	if (got >= 0)
		return (size_t)got;
	if (errno != EPERM && errno != ENOSYS)
		return 0;
	/* process_vm_readv refused (a seccomp profile): write(2) faults the same way on a bad source */
	int fds[2];
	size_t done = 0;
	if (pipe(fds) != 0)
		return 0;
	while (done < n) {
		size_t step = n - done < 4096 ? n - done : 4096;
		ssize_t w = write(fds[1], (const char *)from + done, step);
		if (w <= 0 || read(fds[0], (char *)to + done, (size_t)w) != w)
			break;
		done += (size_t)w;
	}
	close(fds[0]);
	close(fds[1]);
	return done;
}

unsigned long copy_from_user(void *to, const void __user *from, unsigned long n)
{
	unsigned long room = n;
	pthread_mutex_lock(&pages_lock);
	int slot = page_slot(to);
	if (slot >= 0) {
		unsigned long offset = (unsigned long)((char *)to - (char *)pages[slot]);
		if (offset + n > PAGE_SIZE)
			room = offset > PAGE_SIZE ? 0 : PAGE_SIZE - offset;
	}
	pthread_mutex_unlock(&pages_lock);
	if (room < n) {
		/* the kernel would overwrite whatever follows the page; note it, and copy what fits */
		emit(EV_OVERRUN, (long long)(n - room), (long long)PAGE_SIZE, NULL);
		char *scratch = malloc(n);
		size_t got = scratch ? read_own_memory(scratch, from, n) : 0;
		memcpy(to, scratch, got < room ? got : room);
		free(scratch);
		if (got < n)
			emit(EV_COPY_FAULT, (long long)(n - got), 0, NULL);
		return n - got;
	}
	size_t got = read_own_memory(to, from, n);
	if (got < n)
		emit(EV_COPY_FAULT, (long long)(n - got), 0, NULL);
	return n - got;
}

/* ---- the semaphore and sleeping ---- */

#define INTERRUPT_SIGNAL (SIGRTMIN + 6)
static pthread_t waiters[16];
static int waiter_count;
static pthread_mutex_t waiters_lock = PTHREAD_MUTEX_INITIALIZER;

static void on_interrupt(int sig)
{
	(void)sig;
}

__attribute__((constructor)) static void install_interrupt_handler(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_interrupt; /* no SA_RESTART: sem_wait returns EINTR */
	sigemptyset(&sa.sa_mask);
	sigaction(INTERRUPT_SIGNAL, &sa, NULL);
}

void sema_init(struct semaphore *s, int count)
{
	sem_init(&s->sem, 0, (unsigned)count);
}

/* A signal to the waiting thread interrupts it (harness_interrupt_waiters), as in the kernel. */
int down_interruptible(struct semaphore *s)
{
	pthread_t self = pthread_self();
	int rc = 0;
	pthread_mutex_lock(&waiters_lock);
	if (waiter_count < 16)
		waiters[waiter_count++] = self;
	pthread_mutex_unlock(&waiters_lock);
	if (sem_wait(&s->sem) != 0)
		rc = -EINTR;
	pthread_mutex_lock(&waiters_lock);
	for (int i = 0; i < waiter_count; i++) {
		if (pthread_equal(waiters[i], self)) {
			waiters[i] = waiters[--waiter_count];
			break;
		}
	}
	pthread_mutex_unlock(&waiters_lock);
	return rc;
}

/* How many threads sleep in down_interruptible now. */
int harness_waiters(void)
{
	pthread_mutex_lock(&waiters_lock);
	int n = waiter_count;
	pthread_mutex_unlock(&waiters_lock);
	return n;
}

/* Deliver a signal to every thread sleeping in down_interruptible. */
int harness_interrupt_waiters(void)
{
	pthread_mutex_lock(&waiters_lock);
	int n = waiter_count;
	for (int i = 0; i < n; i++)
		pthread_kill(waiters[i], INTERRUPT_SIGNAL);
	pthread_mutex_unlock(&waiters_lock);
	return n;
}

void up(struct semaphore *s)
{
	sem_post(&s->sem);
}

/* msleep: uninterruptible, scaled by the simulator's speed as its delays are */
void msleep(unsigned int msecs)
{
	double us = (double)msecs * 1000.0 / sleep_divisor;
	if (us >= 1.0)
		usleep((useconds_t)us);
}

/* ---- hypervisor calls ---- */

#define H_DOWNLOAD_CA_FACILITY_OPCODE 0x364
#define H_CONTROL_CA_FACILITY_OPCODE 0x368
#define STREAM_MAX (SG_MAX_ENTRIES_HARNESS * 4096)
#define SG_MAX_ENTRIES_HARNESS 256

static uint8_t stream[STREAM_MAX];

/* H_DOWNLOAD_CA_FACILITY: gather the S/G list the driver built into one byte stream */
static long download_facility(unsigned long *retbuf, va_list ap)
{
	unsigned long unit = va_arg(ap, unsigned long);
	unsigned long op = va_arg(ap, unsigned long);
	unsigned long list = va_arg(ap, unsigned long);
	unsigned long num = va_arg(ap, unsigned long);
	unsigned long token = va_arg(ap, unsigned long);
	const u64 *entries = phys_to_virt(list);
	size_t length = 0;
	long long rc;
	unsigned long long r4;
	(void)unit;
	if (!entries || num > SG_MAX_ENTRIES_HARNESS) {
		retbuf[0] = 0;
		return H_SG_LIST;
	}
	for (unsigned long i = 0; i < num; i++) {
		unsigned long real = (unsigned long)be64_to_cpu(entries[2 * i]);
		unsigned long len = (unsigned long)be64_to_cpu(entries[2 * i + 1]);
		const void *from = phys_to_virt(real);
		if (!from || len > 4096 || length + len > STREAM_MAX) {
			retbuf[0] = 0;
			return H_SG_LIST;
		}
		memcpy(stream + length, from, len);
		length += len;
	}
	prepare_wait();
	on_hcall((long long)op, stream, (long long)length, (long long)num, token);
	wait_answer(&rc, &r4);
	retbuf[0] = (unsigned long)r4;
	return (long)rc;
}

long plpar_hcall(unsigned long opcode, unsigned long *retbuf, ...)
{
	va_list ap;
	long rc = H_FUNCTION;
	va_start(ap, retbuf);
	if (opcode == H_DOWNLOAD_CA_FACILITY_OPCODE && on_hcall)
		rc = download_facility(retbuf, ap);
	va_end(ap);
	return rc;
}

long plpar_hcall9(unsigned long opcode, unsigned long *retbuf, ...)
{
	va_list ap;
	va_start(ap, retbuf);
	unsigned long unit = va_arg(ap, unsigned long);
	unsigned long op = va_arg(ap, unsigned long);
	va_end(ap);
	memset(retbuf, 0, sizeof(unsigned long) * PLPAR_HCALL9_BUFSIZE);
	if (opcode == H_CONTROL_CA_FACILITY_OPCODE && op == 1) {
		emit(EV_FACILITY_RESET, (long long)unit, 0, NULL);
		return H_SUCCESS;
	}
	return H_FUNCTION;
}

/* ---- the device tree and RTAS ---- */

#define TOKEN_UPDATE_NODES 0x51
#define TOKEN_UPDATE_PROPERTIES 0x52
#define MAX_PROPS 16
char rtas_data_buf[RTAS_DATA_BUF_SIZE];
spinlock_t rtas_data_buf_lock = PTHREAD_MUTEX_INITIALIZER;
static struct device_node adapter_node = { 0x10c5 };
static int rtas_missing_nodes, rtas_missing_properties;
static struct {
	char name[64];
	uint8_t value[256];
	u32 length;
} props[MAX_PROPS];
static int prop_count;

/* Which RTAS services the firmware lacks (the kernel's rtas_token then answers unknown). */
void harness_rtas_missing(int update_nodes, int update_properties)
{
	rtas_missing_nodes = update_nodes;
	rtas_missing_properties = update_properties;
}

void harness_dt_clear(void)
{
	prop_count = 0;
}

/* A property ibm,update-properties will report for the adapter's node (value as stored, BE). */
int harness_dt_set_property(const char *name, const uint8_t *value, unsigned length)
{
	if (prop_count >= MAX_PROPS || length > sizeof props[0].value || strlen(name) >= 64)
		return -1;
	strcpy(props[prop_count].name, name);
	memcpy(props[prop_count].value, value, length);
	props[prop_count].length = length;
	prop_count++;
	return 0;
}

int rtas_token(const char *service)
{
	if (strcmp(service, "ibm,update-nodes") == 0)
		return rtas_missing_nodes ? RTAS_UNKNOWN_SERVICE : TOKEN_UPDATE_NODES;
	if (strcmp(service, "ibm,update-properties") == 0)
		return rtas_missing_properties ? RTAS_UNKNOWN_SERVICE : TOKEN_UPDATE_PROPERTIES;
	return RTAS_UNKNOWN_SERVICE;
}

static void put_be32(char *at, u32 v)
{
	v = cpu_to_be32(v);
	memcpy(at, &v, 4);
}

/* PAPR ibm,update-nodes: one UPDATE of the adapter's node, then the end of the list. */
static int update_nodes(char *buf)
{
	u64 unit;
	memcpy(&unit, buf + 4, 8);
	emit(EV_UPDATE_NODES, (long long)be64_to_cpu(unit), 0, NULL);
	memset(buf + 16, 0, RTAS_DATA_BUF_SIZE - 16);
	put_be32(buf + 16, 0x02000000 | 1);
	put_be32(buf + 20, adapter_node.phandle);
	return 0;
}

/* PAPR ibm,update-properties: the node's path entry, then every property of the model. */
static int update_properties(char *buf)
{
	static const char path[] = "/vdevice/ibm,coherent-platform-facility";
	char *p = buf + 20;
	memset(buf + 4, 0, RTAS_DATA_BUF_SIZE - 4);
	*p++ = 0;
	put_be32(p, sizeof path);
	p += 4;
	memcpy(p, path, sizeof path);
	p += sizeof path;
	for (int i = 0; i < prop_count; i++) {
		strcpy(p, props[i].name);
		p += strlen(props[i].name) + 1;
		put_be32(p, props[i].length);
		p += 4;
		memcpy(p, props[i].value, props[i].length);
		p += props[i].length;
	}
	put_be32(buf + 16, (u32)prop_count + 1);
	return 0;
}

int rtas_call(int token, int nargs, int nret, int *outputs, ...)
{
	va_list ap;
	va_start(ap, outputs);
	char *buf = va_arg(ap, char *);
	va_end(ap);
	(void)nargs;
	(void)nret;
	if (token == TOKEN_UPDATE_NODES)
		return update_nodes(buf);
	if (token == TOKEN_UPDATE_PROPERTIES)
		return update_properties(buf);
	return -3; /* RTAS: parameter error */
}

struct device_node *of_find_node_by_phandle(u32 handle)
{
	return handle == adapter_node.phandle ? &adapter_node : NULL;
}

void of_node_put(struct device_node *node)
{
	(void)node;
}

int cxl_update_properties(struct device_node *dn, struct property *new_prop)
{
	u32 first = 0;
	(void)dn;
	if (new_prop->length >= 4) {
		memcpy(&first, new_prop->value, 4);
		first = be32_to_cpu(first);
	}
	emit(EV_UPDATE_PROPERTY, new_prop->length, first, new_prop->name);
	/* the kernel keeps it in the live tree; the model has taken note, so let it go */
	kfree(new_prop->name);
	kfree(new_prop->value);
	kfree(new_prop);
	return 0;
}

/* ---- the card: struct cxl and its chardev, as guest.c and of.c set them up at probe ---- */

static struct cxl_guest guest;
static struct cxl adapter;
static struct cxl_afu afus[CXL_MAX_SLICES];
static int adapter_added, adapter_present;
static char card_path[512];

dev_t cxl_get_dev(void)
{
	return MKDEV(240, 0);
}

struct cxl *get_cxl_adapter(int num)
{
	if (!adapter_added || !adapter_present || num != adapter.adapter_num)
		return NULL;
	adapter.dev.refs++;
	return &adapter;
}

void put_device(struct device *dev)
{
	dev->refs--;
}

void cdev_init(struct cdev *cdev, const struct file_operations *fops)
{
	cdev->ops = fops;
}

int cdev_add(struct cdev *cdev, dev_t dev, unsigned count)
{
	(void)cdev;
	(void)dev;
	(void)count;
	return 0;
}

void cdev_del(struct cdev *cdev)
{
	cdev->ops = NULL;
}

long compat_ptr_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	return adapter.guest->cdev.ops->unlocked_ioctl(file, cmd, arg);
}

void cxl_guest_remove_afu(struct cxl_afu *afu)
{
	emit(EV_REMOVE_AFU, afu ? afu->slice : -1, 0, NULL);
}

/* guest.c: remove the adapter and probe it again; the close waits for both */
void cxl_guest_reload_module(struct cxl *a)
{
	long long rc;
	unsigned long long r4;
	prepare_wait();
	emit(EV_RELOAD, a->adapter_num, 0, NULL);
	wait_answer(&rc, &r4);
}

/*
 * Probe the card: `path` (as the program opens it) becomes card `number`, with the IDs of_*
 * read from the device tree (the first cell of each, as of_property_read_u32 takes it).
 */
int harness_add_card(const char *path, int number, unsigned long long unit, unsigned vendor,
		     unsigned device, unsigned subsystem_vendor, unsigned subsystem, int slices)
{
	if (strlen(path) >= sizeof card_path || slices < 0 || slices > CXL_MAX_SLICES)
		return -1;
	strcpy(card_path, path);
	memset(&guest, 0, sizeof guest);
	guest.handle = unit;
	guest.vendor = (u16)vendor;
	guest.device = (u16)device;
	guest.subsystem_vendor = (u16)subsystem_vendor;
	guest.subsystem = (u16)subsystem;
	adapter.guest = &guest;
	adapter.adapter_num = number;
	adapter.slices = slices;
	for (int i = 0; i < slices; i++) {
		afus[i].slice = i;
		adapter.afu[i] = &afus[i];
	}
	/* of.c's probe registers the chardev (flash.c: cxl_guest_add_chardev, which also runs
	 * sema_init) on every probe, the first and each re-probe after a reload */
	if (cxl_guest_add_chardev(&adapter) != 0)
		return -1;
	adapter_added = 1;
	adapter_present = 1;
	return 0;
}

/* The card went away (a reload that never probed it again) or came back. */
void harness_set_card_present(int present)
{
	adapter_present = present;
}

/* ---- the system calls the program makes ---- */

#define MAX_FILES 8
static struct {
	int fd;
	struct inode inode;
	struct file file;
} files[MAX_FILES];
static pthread_mutex_t files_lock = PTHREAD_MUTEX_INITIALIZER;

static int (*real_open)(const char *, int, ...);
static int (*real_ioctl)(int, unsigned long, ...);
static int (*real_close)(int);

static void bind_libc(void)
{
	if (!real_open) {
		real_open = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open");
		real_ioctl = (int (*)(int, unsigned long, ...))dlsym(RTLD_NEXT, "ioctl");
		real_close = (int (*)(int))dlsym(RTLD_NEXT, "close");
	}
}

static int file_slot(int fd)
{
	for (int i = 0; i < MAX_FILES; i++)
		if (files[i].fd == fd && fd > 0)
			return i;
	return -1;
}

static const struct file_operations *fops(void)
{
	return adapter_added ? guest.cdev.ops : NULL;
}

int open(const char *path, int flags, ...)
{
	va_list ap;
	unsigned mode;
	bind_libc();
	va_start(ap, flags);
	mode = (flags & O_CREAT) ? va_arg(ap, unsigned) : 0;
	va_end(ap);
	if (!fops() || strcmp(path, card_path) != 0)
		return real_open(path, flags, mode);
	/* a real fd keeps the number ours: nothing else in the process can be handed it */
	int fd = real_open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -1;
	pthread_mutex_lock(&files_lock);
	int slot = -1;
	for (int i = 0; i < MAX_FILES && slot < 0; i++)
		if (files[i].fd == 0)
			slot = i;
	pthread_mutex_unlock(&files_lock);
	if (slot < 0) {
		real_close(fd);
		errno = ENFILE;
		return -1;
	}
	struct inode inode = { MKDEV(MAJOR(cxl_get_dev()), adapter.adapter_num) };
	struct file file = { NULL };
	int rc = fops()->open(&inode, &file);
	emit(EV_OPEN, adapter.adapter_num, rc, NULL);
	if (rc < 0) {
		real_close(fd);
		errno = -rc;
		return -1;
	}
	pthread_mutex_lock(&files_lock);
	files[slot].fd = fd;
	files[slot].inode = inode;
	files[slot].file = file;
	pthread_mutex_unlock(&files_lock);
	return fd;
}

int ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	void *arg;
	bind_libc();
	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	pthread_mutex_lock(&files_lock);
	int slot = file_slot(fd);
	pthread_mutex_unlock(&files_lock);
	if (slot < 0)
		return real_ioctl(fd, request, arg);
	/* the kernel's ioctl(2) takes the request as an unsigned int */
	long rc = fops()->unlocked_ioctl(&files[slot].file, (unsigned int)request, (unsigned long)arg);
	if (rc < 0) {
		errno = (int)-rc;
		return -1;
	}
	return (int)rc;
}

int close(int fd)
{
	bind_libc();
	pthread_mutex_lock(&files_lock);
	int slot = file_slot(fd);
	struct inode inode;
	struct file file;
	if (slot >= 0) {
		inode = files[slot].inode;
		file = files[slot].file;
		files[slot].fd = 0;
	}
	pthread_mutex_unlock(&files_lock);
	if (slot < 0)
		return real_close(fd);
	emit(EV_CLOSE, adapter.adapter_num, 0, NULL);
	fops()->release(&inode, &file); /* its return value never reaches close(2) */
	emit(EV_CLOSE, adapter.adapter_num, 1, NULL);
	return real_close(fd);
}

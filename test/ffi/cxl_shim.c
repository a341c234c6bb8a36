/*
 * A stand-in for the kernel's card driver, for the FFI conformance tests (test/ffi).
 *
 * It exports `ioctl` declared exactly like glibc's, variadic, and reads its third argument with
 * va_arg, so a fixed-argument koffi prototype calling it crosses the same ABI boundary as a call
 * into the real libc. For each call it records what a kernel would see: the request number, the
 * 64 bytes of struct cxl_adapter_image, and the bytes at the struct's `data` address (length and
 * an FNV-1a checksum), plus the 128-byte over-read the driver performs on a small header call
 * (docs/kernel-contract.md section 3). It answers from a script of (return value, errno) pairs.
 *
 * open, close and flock are not defined here: dlsym on this library finds libc's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#define SHIM_MAX_CALLS 16384
#define SHIM_MAX_SCRIPT 16384
#define SHIM_CANARY 0x5ca1ab1e0ddba11ULL
#define NEED_HEADER 0x1ULL
#define HEADER_SIZE 128
#define HEADER_BUFFER_PAYLOAD 3968

/* The layout JS decodes (test/ffi/shim.ts); host byte order. */
struct shim_record {
	uint64_t request;       /* 0 */
	int32_t fd;             /* 8 */
	uint32_t checks;        /* 12: bit 0 canary intact, bit 1 va slot where ELFv2 puts it, bit 2 over-read done */
	uint64_t arg_address;   /* 16 */
	uint8_t arg[64];        /* 24 */
	uint64_t data_checksum; /* 88 */
	uint64_t data_length;   /* 96 */
	uint64_t overread_checksum; /* 104 */
	int64_t va_slot_offset; /* 112: (va_list slot) - (caller stack pointer), ppc64 only, else -1 */
	int32_t returned;       /* 120 */
	int32_t error;          /* 124 */
	uint64_t thread;        /* 128 */
	uint64_t guard;         /* 136 */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t guard_before = SHIM_CANARY;
static struct shim_record records[SHIM_MAX_CALLS];
static uint64_t guard_after = SHIM_CANARY;
static int record_count;
static int total_calls;
static int script_ret[SHIM_MAX_SCRIPT];
static int script_errno[SHIM_MAX_SCRIPT];
static int script_length;
static int script_position;

static uint64_t fnv1a(const uint8_t *bytes, uint64_t length)
{
	uint64_t hash = 0xcbf29ce484222325ULL;
	for (uint64_t i = 0; i < length; i++) {
		hash ^= bytes[i];
		hash *= 0x100000001b3ULL;
	}
	return hash;
}

static uint64_t read_u64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof v);
	return v;
}

void shim_reset(void)
{
	pthread_mutex_lock(&lock);
	record_count = 0;
	total_calls = 0;
	script_length = 0;
	script_position = 0;
	memset(records, 0, sizeof records);
	pthread_mutex_unlock(&lock);
}

int shim_push_result(int ret, int err)
{
	int ok = -1;
	pthread_mutex_lock(&lock);
	if (script_length < SHIM_MAX_SCRIPT) {
		script_ret[script_length] = ret;
		script_errno[script_length] = err;
		script_length++;
		ok = 0;
	}
	pthread_mutex_unlock(&lock);
	return ok;
}

int shim_call_count(void)
{
	return total_calls;
}

int shim_record_size(void)
{
	return (int)sizeof(struct shim_record);
}

/* Copies record i into out (shim_record_size() bytes); returns 0, or -1 if there is none. */
int shim_get_record(int i, void *out)
{
	int ok = -1;
	pthread_mutex_lock(&lock);
	if (i >= 0 && i < record_count) {
		memcpy(out, &records[i], sizeof records[i]);
		ok = 0;
	}
	pthread_mutex_unlock(&lock);
	return ok;
}

/* 1 if the guards around the record table are intact. */
int shim_guards_intact(void)
{
	return guard_before == SHIM_CANARY && guard_after == SHIM_CANARY;
}

int ioctl(int fd, unsigned long request, ...)
{
	volatile uint64_t canary[4] = { SHIM_CANARY, ~SHIM_CANARY, SHIM_CANARY ^ (uint64_t)fd,
					SHIM_CANARY ^ (uint64_t)request };
	struct shim_record rec;
	va_list ap;
	const uint8_t *arg;

	memset(&rec, 0, sizeof rec);
	va_start(ap, request);
#if defined(__powerpc64__) && defined(_CALL_ELF) && _CALL_ELF == 2
	{
		/*
		 * ELFv2: a variadic callee spills r5..r10 into the caller's parameter save area,
		 * which starts 32 bytes above the caller's stack pointer; the third argument's slot
		 * is at +48. Our back chain word holds the caller's stack pointer.
		 */
		const char *caller_sp = *(char *const *)__builtin_frame_address(0);
		const char *slot = (const char *)ap;
		rec.va_slot_offset = (int64_t)(slot - caller_sp);
		if (rec.va_slot_offset == 48)
			rec.checks |= 2;
	}
#else
	rec.va_slot_offset = -1;
	rec.checks |= 2;
#endif
	arg = va_arg(ap, const uint8_t *);
	va_end(ap);

	rec.request = request;
	rec.fd = fd;
	rec.arg_address = (uint64_t)(uintptr_t)arg;
	rec.thread = (uint64_t)pthread_self();
	rec.guard = SHIM_CANARY;
	if (arg != NULL) {
		uint64_t flags, data, len_data;
		memcpy(rec.arg, arg, sizeof rec.arg);
		flags = read_u64(rec.arg + 0);
		data = read_u64(rec.arg + 8);
		len_data = read_u64(rec.arg + 16);
		/* Refuse absurd lengths instead of reading wild memory: the real driver would too. */
		if (data != 0 && len_data <= (1ULL << 20)) {
			const uint8_t *bytes = (const uint8_t *)(uintptr_t)data;
			rec.data_checksum = fnv1a(bytes, len_data);
			rec.data_length = len_data;
			/* docs/kernel-contract.md section 3: the driver copies len_data + 128 bytes here. */
			if ((flags & NEED_HEADER) && len_data < HEADER_BUFFER_PAYLOAD) {
				rec.overread_checksum = fnv1a(bytes + len_data, HEADER_SIZE);
				rec.checks |= 4;
			}
		}
	}

	pthread_mutex_lock(&lock);
	if (script_position < script_length) {
		rec.returned = script_ret[script_position];
		rec.error = script_errno[script_position];
		script_position++;
	} else {
		rec.returned = -1;
		rec.error = EPROTO; /* an unscripted call: the test asked for fewer */
	}
	if (canary[0] == SHIM_CANARY && canary[1] == ~SHIM_CANARY &&
	    canary[2] == (SHIM_CANARY ^ (uint64_t)fd) && canary[3] == (SHIM_CANARY ^ (uint64_t)request))
		rec.checks |= 1;
	if (record_count < SHIM_MAX_CALLS)
		records[record_count++] = rec;
	total_calls++;
	pthread_mutex_unlock(&lock);

	if (rec.returned < 0)
		errno = rec.error;
	return rec.returned;
}

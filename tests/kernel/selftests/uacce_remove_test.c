// SPDX-License-Identifier: GPL-2.0
/*
 * Device removal with queues open: rmmod uacce_echo while one queue is
 * started and mapped (with a thread asleep in poll()) and one is only
 * opened; then every call on the old fds fails with -ENXIO, the mappings
 * stay accessible without a signal (DUS reads zero with both stop words at
 * the end set to 1, doorbell stores are absorbed, SS keeps its bytes), and
 * after reloading the module the device works again.  Repeated cycles do
 * not leak the stand-in pages.
 *
 * usage: uacce_remove_test /path/to/uacce_echo.ko
 */
#include "qm_user.h"
#include <pthread.h>
#include <setjmp.h>
#include <sys/stat.h>
#include <sys/syscall.h>

static const char *echo_ko;
static sigjmp_buf fault_jmp;
static volatile sig_atomic_t fault_sig;

static void fault_handler(int sig)
{
	fault_sig = sig;
	siglongjmp(fault_jmp, 1);
}

/* Read (write: store val) the 32-bit word at p; the signal it raised, or 0. */
static int probe(volatile uint32_t *p, int write, uint32_t val, uint32_t *got)
{
	struct sigaction sa = { .sa_handler = fault_handler };

	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	fault_sig = 0;
	if (!sigsetjmp(fault_jmp, 1)) {
		if (write)
			*p = val;
		else if (got)
			*got = *p;
		else
			(void)*p;
	}
	signal(SIGSEGV, SIG_DFL);
	signal(SIGBUS, SIG_DFL);
	return fault_sig;
}

static uint32_t dus_word(struct qm *q, size_t off)
{
	return *(volatile uint32_t *)((char *)q->dus + off);
}

static int load_echo_params(const char *params)
{
	int fd = open(echo_ko, O_RDONLY | O_CLOEXEC), r;

	if (fd < 0)
		return -1;
	r = syscall(SYS_finit_module, fd, params, 0);
	close(fd);
	return r;
}

static int load_echo(void)
{
	return load_echo_params("");
}

/*
 * A removed queue's regions as a polling user driver sees them: every DUS
 * page readable and writable and as the stopped device left it (@before, a
 * copy taken before the removal: no CQE changed phase), but for the RX and
 * TX stop words (1 at size - 8 and size - 4); MMIO readable, doorbell
 * stores absorbed.  No signal on any of it.
 */
static int check_zombie_regions(struct qm *q, const char *before)
{
	int pg = getpagesize();
	uint32_t v = 0xdead;
	size_t off;

	KT_ASSERT(probe((uint32_t *)((char *)q->dus + q->dus_size - 8), 0, 0,
			&v) == 0, "DUS stop word faults");
	KT_ASSERT(v == 1, "RX stop word %u", v);
	KT_ASSERT(dus_word(q, q->dus_size - 4) == 1, "TX stop word %u",
		  dus_word(q, q->dus_size - 4));
	for (off = 0; off < q->dus_size; off += pg)
		KT_ASSERT(probe((uint32_t *)((char *)q->dus + off), 0, 0, &v) == 0,
			  "DUS page at %#zx faults", off);
	KT_ASSERT(!memcmp(q->dus, before, q->dus_size - 8),
		  "the DUS changed across the removal");
	/* an SQE store, then a doorbell ring, as a driver that has not yet
	 * looked at the stop words would do */
	KT_ASSERT(probe(qm_sqe(q, 1), 1, 0x1234, NULL) == 0, "SQE store faults");
	KT_ASSERT(qm_sqe(q, 1)[0] == 0x1234, "");
	KT_ASSERT(dus_word(q, q->dus_size - 8) == 1, "");
	KT_ASSERT(probe((uint32_t *)q->mmio, 0, 0, NULL) == 0, "MMIO read faults");
	KT_ASSERT(probe((uint32_t *)((char *)q->mmio + QM_DB_OFFSET), 1, 7,
			NULL) == 0, "doorbell store faults");
	qm_ring(q, QM_DB_SQ, 1, 0);
	qm_ring(q, QM_DB_CQ, 0, 1);
	return 0;
}

static short poll_revents = -1;

static void *poller(void *arg)
{
	struct pollfd pfd = { .fd = *(int *)arg, .events = POLLIN };

	if (poll(&pfd, 1, 20000) == 1)
		poll_revents = pfd.revents;
	else
		poll_revents = 0;
	return NULL;
}

static int test_remove(void)
{
	char sysdir[300], devnode[272];
	uint32_t sqe[32], out[32];
	int pg = getpagesize();
	struct qm q1, q2;
	unsigned long addr;
	char *dus1 = NULL, *dus2 = NULL;
	pthread_t th;
	struct stat st;
	void *ss;

	KT_ASSERT(qm_open(&q1, 1) == 0, "");
	KT_ASSERT(qm_open(&q2, 0) == 0, "");
	ss = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_SHARED, q1.fd,
		  UACCE_QFRT_SS * pg);
	KT_ASSERT(ss != MAP_FAILED, "");
	memset(ss, 0x5a, 65536);
	echo_inline_sqe(sqe, 3, 3);
	KT_ASSERT(qm_send(&q1, sqe) == 0, "");
	KT_ASSERT(qm_recv(&q1, out, 5000, NULL) == 0, "");
	/* drain the poll state, then sleep in poll() across the removal */
	{
		struct pollfd pfd = { .fd = q1.fd, .events = POLLIN };

		poll(&pfd, 1, 0);
	}
	KT_ASSERT(pthread_create(&th, NULL, poller, &q1.fd) == 0, "");
	usleep(200000);
	/* the rings as the device left them: CQE 0 has phase 1 now */
	KT_ASSERT(qm_cqe(&q1, 0)->w7 & 1, "");
	KT_ASSERT((dus1 = malloc(q1.dus_size)) && (dus2 = malloc(q2.dus_size)), "");
	memcpy(dus1, q1.dus, q1.dus_size);
	memcpy(dus2, q2.dus, q2.dus_size);

	snprintf(sysdir, sizeof(sysdir), "/sys/class/uacce/%s", echo_name);
	snprintf(devnode, sizeof(devnode), "%s", echo_dev);
	KT_ASSERT(syscall(SYS_delete_module, "uacce_echo", O_NONBLOCK) == 0,
		  "rmmod uacce_echo with queues open");
	KT_ASSERT(pthread_join(th, NULL) == 0, "");
	KT_ASSERT(poll_revents & (POLLHUP | POLLERR),
		  "poll() sleeper not told: revents %#x", poll_revents);

	KT_ASSERT(stat(sysdir, &st) < 0, "%s still there", sysdir);
	KT_EXPECT_ERRNO(ioctl(q1.fd, UACCE_CMD_START_Q), ENXIO);
	KT_EXPECT_ERRNO(ioctl(q1.fd, UACCE_CMD_PUT_Q), ENXIO);
	KT_EXPECT_ERRNO(ioctl(q2.fd, UACCE_CMD_START_Q), ENXIO);
	KT_EXPECT_ERRNO(ioctl(q2.fd, UACCE_CMD_QM_SET_QP_INFO, out), ENXIO);
	KT_EXPECT_ERRNO(ioctl(q1.fd, UACCE_CMD_GET_SS_DMA, &addr), ENXIO);
	KT_EXPECT_ERRNO(mmap(NULL, 65536, PROT_READ, MAP_SHARED, q2.fd,
			     UACCE_QFRT_SS * pg), ENXIO);
	{
		struct pollfd pfd = { .fd = q2.fd, .events = POLLIN };

		KT_ASSERT(poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLHUP), "");
	}
	/*
	 * The device's pages were unmapped; what a polling user driver sees
	 * now is stand-ins: stopped rings, a doorbell that absorbs stores.
	 */
	/* q1 first: its SQE store must not show in q2's (per-queue pages) */
	if (check_zombie_regions(&q1, dus1) || check_zombie_regions(&q2, dus2))
		return -1;
	free(dus1);
	free(dus2);
	/* the shared region is the queue's own memory: still there, intact */
	{
		uint32_t v = 0;

		KT_ASSERT(probe((uint32_t *)((char *)ss + 65532), 0, 0, &v) == 0,
			  "SS faults");
		KT_ASSERT(v == 0x5a5a5a5a, "SS reads %#x", v);
		KT_ASSERT(probe((uint32_t *)ss, 1, 1, NULL) == 0, "SS store faults");
	}
	/* still dead: the stand-ins are no way back to the device */
	KT_EXPECT_ERRNO(ioctl(q1.fd, UACCE_CMD_START_Q), ENXIO);
	KT_EXPECT_ERRNO(mmap(NULL, q1.dus_size, PROT_READ, MAP_SHARED, q1.fd,
			     UACCE_QFRT_DUS * pg), ENXIO);
	/* unmapped, the range is a hole like any other: SIGSEGV */
	KT_ASSERT(munmap(q1.mmio, q1.mmio_size) == 0, "");
	KT_ASSERT(probe((uint32_t *)q1.mmio, 0, 0, NULL) == SIGSEGV, "");
	q1.mmio = NULL;

	KT_ASSERT(munmap(ss, 65536) == 0, "");
	KT_ASSERT(munmap(q1.dus, q1.dus_size) == 0, "");
	q1.dus = NULL;
	KT_ASSERT(close(q1.fd) == 0, "");
	qm_close(&q2);

	/* back again: a new device works */
	KT_ASSERT(load_echo() == 0, "reload %s", echo_ko);
	KT_ASSERT(echo_find() == 0, "device not back");
	KT_ASSERT(echo_attr_long("available_instances") == 8, "");
	KT_ASSERT(qm_open(&q1, 1) == 0, "");
	echo_inline_sqe(sqe, 4, 4);
	KT_ASSERT(qm_send(&q1, sqe) == 0, "");
	KT_ASSERT(qm_recv(&q1, out, 5000, NULL) == 0, "");
	KT_ASSERT(echo_inline_ok(out, 4, 4), "");
	qm_close(&q1);
	return 0;
}

/* rmmod with no queue open, and an unregistered device is gone */
static int test_remove_idle(void)
{
	KT_ASSERT(syscall(SYS_delete_module, "uacce_echo", O_NONBLOCK) == 0, "");
	KT_ASSERT(echo_find() != 0, "device still listed");
	KT_ASSERT(load_echo() == 0, "reload");
	KT_ASSERT(echo_find() == 0, "device not back");
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Hammer the device until the deadline; errors are expected once removed. */
static void load_worker(int kind, double deadline)
{
	uint32_t sqe[32], out[32];
	unsigned long ops = 0, errs = 0;
	struct qm q;
	int k;

	while (now() < deadline) {
		ops++;
		if (kind == 0) {
			echo_attr_long("available_instances");
			echo_attr_long("isolate_strategy");
			continue;
		}
		if (qm_open(&q, kind != 1)) {
			errs++;
			usleep(1000);
			continue;
		}
		if (kind == 1) {
			void *ss = mmap(NULL, 65536, PROT_READ | PROT_WRITE,
					MAP_SHARED, q.fd,
					UACCE_QFRT_SS * getpagesize());

			ioctl(q.fd, UACCE_CMD_START_Q);
			if (ss != MAP_FAILED)
				munmap(ss, 65536);
		}
		for (k = 0; k < 5; k++) {
			echo_inline_sqe(sqe, k, k);
			if (qm_send(&q, sqe) || qm_recv(&q, out, 300, NULL) < 0) {
				errs++;
				break;
			}
		}
		qm_close(&q);
	}
	printf("KTEST INFO load worker kind %d: %lu rounds, %lu failed\n",
	       kind, ops, errs);
	_exit(0);
}

/* rmmod while processes open, map, use and close queues: no oops */
static int test_remove_under_load(void)
{
	double deadline = now() + 2.5;
	pid_t pids[5];
	int i, status, n;

	for (i = 0; i < 5; i++) {
		pids[i] = fork();
		KT_ASSERT(pids[i] >= 0, "fork");
		if (pids[i] == 0)
			load_worker(i < 3 ? i : 2, deadline);
	}
	usleep(1500000);
	KT_ASSERT(syscall(SYS_delete_module, "uacce_echo", O_NONBLOCK) == 0,
		  "rmmod under load");
	for (i = 0; i < 5; i++) {
		KT_ASSERT(waitpid(pids[i], &status, 0) == pids[i], "");
		/* touching a removed queue's rings raises no signal */
		KT_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0,
			  "worker %d status %#x", i, status);
	}
	KT_ASSERT(load_echo() == 0, "reload");
	KT_ASSERT(echo_find() == 0, "device not back");
	n = echo_attr_long("available_instances");
	KT_ASSERT(n == 8, "available_instances %d", n);
	return 0;
}

/*
 * Free memory in kB, counting the pages freed into the per-cpu lists
 * (/proc/zoneinfo "count:"), which MemFree leaves out: order-0 frees park
 * there, and would look like a leak.
 */
static long free_kb(void)
{
	char line[256], *p;
	long pcp = 0;
	FILE *f = fopen("/proc/zoneinfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		p = line + strspn(line, " ");
		if (!strncmp(p, "count:", 6))
			pcp += strtol(p + 6, NULL, 10);
	}
	fclose(f);
	return kt_meminfo("MemFree") + pcp * (getpagesize() / 1024);
}

/*
 * One cycle: load (deep rings, so the DUS is many pages), open and map
 * every queue, remove, touch every page of every stand-in region, close.
 * mode 0: only load and remove; 1: close the queues before the removal;
 * 2: remove with the queues open and mapped, then touch and close.
 */
static int remove_cycle(int mode)
{
	int touch = mode == 2;
	struct qm q[8];
	int i, n = 0;
	size_t off;
	int pg = getpagesize();

	KT_ASSERT(load_echo_params("depth=1024") == 0, "load depth=1024");
	KT_ASSERT(echo_find() == 0, "");
	for (i = 0; mode && i < 8; i++) {
		if (qm_open(&q[i], i & 1))
			break;
		n++;
	}
	if (!mode)
		n = 8;
	KT_ASSERT(n == 8, "opened %d queues", n);
	for (i = 0; mode < 2 && i < n; i++)
		qm_close(&q[i]);
	KT_ASSERT(syscall(SYS_delete_module, "uacce_echo", O_NONBLOCK) == 0, "");
	for (i = 0; mode == 2 && i < n; i++) {
		for (off = 0; touch && off < q[i].dus_size; off += pg)
			KT_ASSERT(probe((uint32_t *)((char *)q[i].dus + off), 1,
					0, NULL) == 0, "");
		for (off = 0; touch && off < q[i].mmio_size; off += pg)
			KT_ASSERT(probe((uint32_t *)((char *)q[i].mmio + off), 1,
					0, NULL) == 0, "");
		KT_ASSERT(dus_word(&q[i], q[i].dus_size - 8) == 1, "");
		/* half unmap before close, half leave it to the exit */
		if (i & 1) {
			munmap(q[i].dus, q[i].dus_size);
			munmap(q[i].mmio, q[i].mmio_size);
		}
		close(q[i].fd);
	}
	return 0;
}

/* remove_cycle() in a process of its own, whose exit drops what is left */
static int remove_cycle_child(int mode)
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(remove_cycle(mode) ? 1 : 0);
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* Repeated remove cycles with stand-ins in use leak no memory. */
static int test_remove_cycles_no_leak(void)
{
	long before, after, lost[3];
	int i, mode;

	KT_ASSERT(syscall(SYS_delete_module, "uacce_echo", O_NONBLOCK) == 0, "");
	for (mode = 0; mode < 3; mode++) {
		/* warm up (module loader, slab caches), then measure */
		KT_ASSERT(remove_cycle_child(mode) == 0, "warm-up cycle");
		before = free_kb();
		for (i = 0; i < 10; i++)
			KT_ASSERT(remove_cycle_child(mode) == 0, "cycle %d", i);
		after = free_kb();
		lost[mode] = (before - after) / 10;
		printf("KTEST INFO remove cycles mode %d: free %ld -> %ld kB\n",
		       mode, before, after);
	}
	/*
	 * 8 queues x (37 DUS + 2 MMIO pages) = 1248 KiB a cycle if the
	 * stand-ins leaked; compared with the cycles without queues.
	 */
	KT_ASSERT(lost[2] < 300 && lost[1] < 300,
		  "kB lost per cycle: %ld removing with queues mapped, "
		  "%ld with queues closed, %ld without queues",
		  lost[2], lost[1], lost[0]);
	KT_ASSERT(load_echo() == 0, "reload with defaults");
	KT_ASSERT(echo_find() == 0, "device not back");
	KT_ASSERT(echo_attr_long("region_dus_size") == 2 * getpagesize(), "");
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2) {
		fprintf(stderr, "usage: %s uacce_echo.ko\n", argv[0]);
		return 2;
	}
	echo_ko = argv[1];
	if (echo_find()) {
		printf("KTEST FAIL remove_with_queues_open: no echo device\n");
		return 1;
	}
	kt_run("remove_with_queues_open", test_remove, 60);
	echo_find();
	kt_run("remove_idle_and_reload", test_remove_idle, 30);
	echo_find();
	kt_run("remove_under_load", test_remove_under_load, 60);
	echo_find();
	kt_run("remove_cycles_no_leak", test_remove_cycles_no_leak, 120);
	/* whatever happened, leave the default device loaded */
	if (echo_find()) {
		load_echo();
		echo_find();
	}
	return kt_failed ? 1 : 0;
}

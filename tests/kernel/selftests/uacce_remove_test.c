// SPDX-License-Identifier: GPL-2.0
/*
 * Device removal with queues open: rmmod uacce_echo while one queue is
 * started and mapped (with a thread asleep in poll()) and one is only
 * opened; then every call on the old fds fails with -ENXIO, the mappings
 * fault, and after reloading the module the device works again.
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

static int probe_read(volatile const char *p)
{
	struct sigaction sa = { .sa_handler = fault_handler };

	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	fault_sig = 0;
	if (!sigsetjmp(fault_jmp, 1))
		(void)*p;
	signal(SIGSEGV, SIG_DFL);
	signal(SIGBUS, SIG_DFL);
	return fault_sig;
}

static int load_echo(void)
{
	int fd = open(echo_ko, O_RDONLY | O_CLOEXEC), r;

	if (fd < 0)
		return -1;
	r = syscall(SYS_finit_module, fd, "", 0);
	close(fd);
	return r;
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
	pthread_t th;
	struct stat st;
	void *ss;

	KT_ASSERT(qm_open(&q1, 1) == 0, "");
	KT_ASSERT(qm_open(&q2, 0) == 0, "");
	ss = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_SHARED, q1.fd,
		  UACCE_QFRT_SS * pg);
	KT_ASSERT(ss != MAP_FAILED, "");
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
	/* the user mappings were zapped: access faults, no oops */
	KT_ASSERT(probe_read((char *)q1.dus) != 0, "DUS still readable");
	KT_ASSERT(probe_read((char *)q1.mmio) != 0, "MMIO still readable");
	KT_ASSERT(probe_read((char *)ss) != 0, "SS still readable");
	KT_ASSERT(probe_read((char *)q2.dus) != 0, "DUS 2 still readable");

	munmap(ss, 65536);
	qm_close(&q1);
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
		/* a worker may touch a zapped mapping: that is SIGBUS */
		KT_ASSERT((WIFEXITED(status) && WEXITSTATUS(status) == 0) ||
			  (WIFSIGNALED(status) && (WTERMSIG(status) == SIGBUS ||
						   WTERMSIG(status) == SIGSEGV)),
			  "worker %d status %#x", i, status);
	}
	KT_ASSERT(load_echo() == 0, "reload");
	KT_ASSERT(echo_find() == 0, "device not back");
	n = echo_attr_long("available_instances");
	KT_ASSERT(n == 8, "available_instances %d", n);
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
	return kt_failed ? 1 : 0;
}

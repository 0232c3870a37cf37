// SPDX-License-Identifier: GPL-2.0
/*
 * uacce selftests against the uacce_echo device (run as root in the guest
 * with wd_uacce.ko and uacce_echo.ko loaded).
 */
#include "qm_user.h"
#include <setjmp.h>
#include <sys/stat.h>

#define ECHO_QUEUES	8

_Static_assert(UACCE_CMD_START_Q == 0x5700, "START_Q");
_Static_assert(UACCE_CMD_PUT_Q == 0x5701, "PUT_Q");
_Static_assert(UACCE_CMD_GET_SS_DMA == 0x80085703, "GET_SS_DMA");
_Static_assert(UACCE_CMD_QM_SET_QP_CTX == 0xC004480A, "SET_QP_CTX");
_Static_assert(UACCE_CMD_QM_SET_QP_INFO == 0xC010480B, "SET_QP_INFO");
_Static_assert(sizeof(struct hisi_qp_ctx) == 4, "qp_ctx");
_Static_assert(sizeof(struct hisi_qp_info) == 16, "qp_info");

static sigjmp_buf fault_jmp;
static volatile sig_atomic_t fault_sig;

static void fault_handler(int sig)
{
	fault_sig = sig;
	siglongjmp(fault_jmp, 1);
}

/*
 * Every doorbell store is seen (uacce_echo traps them): an SQ doorbell
 * followed at once by a CQ doorbell (interrupt re-arm, as a driver does
 * before it sleeps in poll()) still runs the request, without ringing
 * again.  Then a load from the doorbell page is emulated too.
 */
static int test_doorbell_trap(void)
{
	uint32_t sqe[32], out[32];
	struct pollfd pfd;
	char param[8] = "";
	struct qm q;
	int i, j, waited, fd;

	fd = open("/sys/module/uacce_echo/parameters/trap_doorbell", O_RDONLY);
	if (fd >= 0) {
		if (read(fd, param, sizeof(param) - 1) < 0)
			param[0] = 0;
		close(fd);
	}
	if (param[0] != 'Y') {
		printf("KTEST INFO doorbell trap off (trap_doorbell=%c)\n", param[0]);
		return 0;
	}
	KT_ASSERT(qm_open(&q, 1) == 0, "");
	for (i = 0; i < 100; i++) {
		echo_inline_sqe(sqe, i, i);
		memcpy(qm_sqe(&q, q.sq_tail), sqe, q.sqe_size);
		q.sq_tail = (q.sq_tail + 1) % q.depth;
		q.inflight++;
		qm_ring(&q, QM_DB_SQ, q.sq_tail, 0);
		qm_ring(&q, QM_DB_CQ, q.cq_head, 1);
		for (waited = 0; !qm_cqe_ready(&q) && waited < 2000; waited += 10) {
			pfd = (struct pollfd){ .fd = q.fd, .events = POLLIN };
			poll(&pfd, 1, 10);
		}
		KT_ASSERT(qm_cqe_ready(&q),
			  "request %d: the SQ doorbell was lost behind the CQ one", i);
		j = qm_recv(&q, out, 0, NULL);
		KT_ASSERT(j >= 0 && echo_inline_ok(out, i, i), "request %d", i);
		qm_ring(&q, QM_DB_CQ, q.cq_head, 0);
	}
	/* the doorbell word itself was never written: idle since START_Q */
	KT_ASSERT(*(volatile uint64_t *)((char *)q.mmio + QM_DB_OFFSET) == ~0ULL,
		  "doorbell word");
	qm_close(&q);
	return 0;
}

/* Read one byte at p; returns the signal it raised, or 0. */
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

static int write_attr(const char *attr, const char *val)
{
	char path[512];
	int fd, r;

	snprintf(path, sizeof(path), "/sys/class/uacce/%s/%s", echo_name, attr);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	r = write(fd, val, strlen(val));
	close(fd);
	return r < 0 ? -1 : 0;
}

static int test_sysfs(void)
{
	char buf[256];
	struct stat st;

	KT_ASSERT(echo_attr("api", buf, sizeof(buf)) > 0 &&
		  !strcmp(buf, "hisi_qm_v2\n"), "api '%s'", buf);
	KT_ASSERT(echo_attr("flags", buf, sizeof(buf)) > 0 &&
		  !strcmp(buf, "0\n"), "flags '%s'", buf);
	KT_ASSERT(echo_attr("algorithms", buf, sizeof(buf)) > 0 &&
		  !strcmp(buf, "echo\n"), "algorithms '%s'", buf);
	KT_ASSERT(echo_attr_long("available_instances") == ECHO_QUEUES, "");
	KT_ASSERT(echo_attr_long("region_mmio_size") ==
		  (long)(getpagesize() + 0x1000), "");
	KT_ASSERT(echo_attr_long("region_dus_size") ==
		  (long)(0x1000 + getpagesize()), "16 x 128 + 16 x 16");
	KT_ASSERT(echo_attr("isolate", buf, sizeof(buf)) > 0 &&
		  !strcmp(buf, "0\n"), "isolate '%s'", buf);
	KT_ASSERT(echo_attr("isolate_strategy", buf, sizeof(buf)) > 0 &&
		  !strcmp(buf, "0\n"), "isolate_strategy '%s'", buf);
	KT_ASSERT(write_attr("isolate_strategy", "0x10") == 0, "");
	KT_ASSERT(echo_attr_long("isolate_strategy") == 16, "");
	KT_EXPECT_ERRNO(write_attr("isolate_strategy", "65536"), EINVAL);
	KT_EXPECT_ERRNO(write_attr("isolate_strategy", "bogus"), EINVAL);
	KT_ASSERT(write_attr("isolate_strategy", "0") == 0, "");
	KT_ASSERT(stat(echo_dev, &st) == 0 && S_ISCHR(st.st_mode), "%s", echo_dev);
	KT_ASSERT(strtol(echo_name + strlen(ECHO_PREFIX), NULL, 10) >= 0, "");
	return 0;
}

static int test_echo_ring(void)
{
	uint32_t sqe[32], out[32];
	struct qm q;
	int i, j, woke = 0, n;

	KT_ASSERT(qm_open(&q, 1) == 0, "open %s", echo_dev);
	KT_ASSERT(q.sqe_size == 128 && q.depth == 16, "info %u/%u",
		  q.sqe_size, q.depth);
	KT_ASSERT(q.id < ECHO_QUEUES, "id %u", q.id);
	KT_ASSERT(echo_attr_long("available_instances") == ECHO_QUEUES - 1, "");

	/* one request: poll() must wake, phase 1, data echoed */
	echo_inline_sqe(sqe, 1, 0xabc);
	KT_ASSERT(qm_send(&q, sqe) == 0, "");
	{
		struct pollfd pfd = { .fd = q.fd, .events = POLLIN };

		n = poll(&pfd, 1, 5000);
		KT_ASSERT(n == 1 && (pfd.revents & POLLIN), "poll %d %x", n,
			  pfd.revents);
	}
	KT_ASSERT((qm_cqe(&q, 0)->w7 & 1) == 1, "phase of first CQE");
	KT_ASSERT(qm_cqe(&q, 0)->sq_num == q.id, "sq_num");
	j = qm_recv(&q, out, 5000, &woke);
	KT_ASSERT(j == 0, "recv %d", j);
	KT_ASSERT(echo_inline_ok(out, 1, 0xabc), "echo data/status");

	/* 40 more one by one: wraps the rings, the phase flips */
	for (i = 2; i < 42; i++) {
		echo_inline_sqe(sqe, i, i);
		KT_ASSERT(qm_send(&q, sqe) == 0, "send %d", i);
		j = qm_recv(&q, out, 5000, &woke);
		KT_ASSERT(j == (i - 1) % 16, "req %d: slot %d", i, j);
		KT_ASSERT(echo_inline_ok(out, i, i), "req %d data", i);
	}
	KT_ASSERT(q.phase == 1 && q.cq_head == 41 % 16,
		  "phase %u head %u", q.phase, q.cq_head);
	KT_ASSERT((qm_cqe(&q, q.cq_head)->w7 & 1) != q.phase,
		  "slot at the head still has the previous lap's phase");

	/* a full batch (depth - 1) behind one doorbell */
	for (i = 0; i < 15; i++) {
		echo_inline_sqe(sqe, 100 + i, 100 + i);
		memcpy(qm_sqe(&q, (q.sq_tail + i) % 16), sqe, 128);
	}
	q.sq_tail = (q.sq_tail + 15) % 16;
	q.inflight += 15;
	KT_ASSERT(qm_send(&q, sqe) == -1, "ring full");
	qm_ring(&q, QM_DB_SQ, q.sq_tail, 0);
	for (i = 0; i < 15; i++) {
		j = qm_recv(&q, out, 5000, &woke);
		KT_ASSERT(j >= 0, "batch %d", i);
		KT_ASSERT(echo_inline_ok(out, 100 + i, 100 + i), "batch %d data", i);
	}
	/* the CQ doorbell is accepted (priority 1: re-arm) */
	qm_ring(&q, QM_DB_CQ, q.cq_head, 1);
	KT_ASSERT(woke > 0, "poll never woke");

	/* unknown op: error status, still completes */
	memset(sqe, 0, sizeof(sqe));
	sqe[9] = 0x7f;
	KT_ASSERT(qm_send(&q, sqe) == 0, "");
	KT_ASSERT(qm_recv(&q, out, 5000, NULL) >= 0, "");
	KT_ASSERT((out[3] & 0xff) == 0x21, "status %x", out[3]);
	qm_close(&q);
	return 0;
}

static int test_poll_idle(void)
{
	struct pollfd pfd;
	uint32_t sqe[32];
	struct qm q;
	int n;

	KT_ASSERT(qm_open(&q, 1) == 0, "");
	pfd = (struct pollfd){ .fd = q.fd, .events = POLLIN };
	n = poll(&pfd, 1, 50);
	KT_ASSERT(n == 0, "idle queue polled ready: %d %x", n, pfd.revents);
	echo_inline_sqe(sqe, 7, 7);
	KT_ASSERT(qm_send(&q, sqe) == 0, "");
	KT_ASSERT(qm_recv(&q, NULL, 5000, NULL) == 0, "");
	/* the one completion may report once more, then the queue is idle */
	poll(&pfd, 1, 0);
	n = poll(&pfd, 1, 50);
	KT_ASSERT(n == 0, "drained queue polled ready");
	qm_close(&q);
	return 0;
}

static int test_mmap_once(void)
{
	int pg = getpagesize();
	struct qm q;
	void *p;

	KT_ASSERT(qm_open(&q, 0) == 0, "");
	KT_EXPECT_ERRNO(mmap(NULL, q.dus_size, PROT_READ | PROT_WRITE,
			     MAP_SHARED, q.fd, UACCE_QFRT_DUS * pg), EEXIST);
	KT_EXPECT_ERRNO(mmap(NULL, q.mmio_size, PROT_READ | PROT_WRITE,
			     MAP_SHARED, q.fd, UACCE_QFRT_MMIO * pg), EEXIST);
	/* after munmap the slot is free again */
	KT_ASSERT(munmap(q.dus, q.dus_size) == 0, "");
	p = mmap(NULL, q.dus_size, PROT_READ | PROT_WRITE, MAP_SHARED, q.fd,
		 UACCE_QFRT_DUS * pg);
	KT_ASSERT(p != MAP_FAILED, "remap DUS");
	q.dus = p;
	/* a partial munmap keeps the rest mapped and the slot taken */
	KT_ASSERT(munmap((char *)q.mmio + pg, q.mmio_size - pg) == 0, "");
	KT_EXPECT_ERRNO(mmap(NULL, q.mmio_size, PROT_READ | PROT_WRITE,
			     MAP_SHARED, q.fd, UACCE_QFRT_MMIO * pg), EEXIST);
	KT_ASSERT(munmap(q.mmio, pg) == 0, "");
	p = mmap(NULL, q.mmio_size, PROT_READ | PROT_WRITE, MAP_SHARED, q.fd,
		 UACCE_QFRT_MMIO * pg);
	KT_ASSERT(p != MAP_FAILED, "remap MMIO");
	q.mmio = p;
	/* mremap of a region is refused, and the slot stays taken */
	p = mmap(NULL, q.dus_size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	KT_ASSERT(p != MAP_FAILED, "");
	KT_ASSERT(mremap(q.dus, q.dus_size, q.dus_size, MREMAP_MAYMOVE |
			 MREMAP_FIXED, p) == MAP_FAILED, "mremap moved a region");
	munmap(p, q.dus_size);
	KT_EXPECT_ERRNO(mmap(NULL, q.dus_size, PROT_READ | PROT_WRITE,
			     MAP_SHARED, q.fd, UACCE_QFRT_DUS * pg), EEXIST);
	KT_ASSERT(probe_read((char *)q.dus) == 0, "DUS no longer mapped");
	qm_close(&q);
	return 0;
}

static int test_mmap_bad(void)
{
	int pg = getpagesize();
	struct qm q;

	KT_ASSERT(qm_open(&q, 0) == 0, "");
	munmap(q.dus, q.dus_size);
	munmap(q.mmio, q.mmio_size);
	q.dus = q.mmio = NULL;
	KT_EXPECT_ERRNO(mmap(NULL, pg, PROT_READ, MAP_SHARED, q.fd, 3 * pg),
			EINVAL);
	KT_EXPECT_ERRNO(mmap(NULL, pg, PROT_READ, MAP_SHARED, q.fd, 100 * pg),
			EINVAL);
	KT_EXPECT_ERRNO(mmap(NULL, pg, PROT_READ, MAP_SHARED, q.fd, 1), EINVAL);
	KT_EXPECT_ERRNO(mmap(NULL, q.dus_size - pg, PROT_READ | PROT_WRITE,
			     MAP_SHARED, q.fd, UACCE_QFRT_DUS * pg), EINVAL);
	KT_EXPECT_ERRNO(mmap(NULL, q.dus_size + pg, PROT_READ | PROT_WRITE,
			     MAP_SHARED, q.fd, UACCE_QFRT_DUS * pg), EINVAL);
	KT_EXPECT_ERRNO(mmap(NULL, q.mmio_size + pg, PROT_READ | PROT_WRITE,
			     MAP_SHARED, q.fd, UACCE_QFRT_MMIO * pg), EINVAL);
	KT_EXPECT_ERRNO(mmap(NULL, q.dus_size, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE, q.fd, UACCE_QFRT_DUS * pg), EINVAL);
	KT_EXPECT_ERRNO(mmap(NULL, 1UL << 30, PROT_READ | PROT_WRITE,
			     MAP_SHARED, q.fd, UACCE_QFRT_SS * pg), EINVAL);
	/* the failures left no slot taken */
	q.dus = mmap(NULL, q.dus_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		     q.fd, UACCE_QFRT_DUS * pg);
	KT_ASSERT(q.dus != MAP_FAILED, "");
	qm_close(&q);
	return 0;
}

static int test_ioctl_state(void)
{
	struct hisi_qp_ctx ctx = { .qc_type = 3 };
	uint32_t sqe[32], out[32];
	unsigned long addr;
	struct qm q;

	KT_ASSERT(qm_open(&q, 0) == 0, "");
	KT_EXPECT_ERRNO(ioctl(q.fd, UACCE_CMD_QM_SET_QP_CTX, &ctx), EINVAL);
	KT_EXPECT_ERRNO(ioctl(q.fd, UACCE_CMD_QM_SET_QP_CTX, (void *)16), EFAULT);
	KT_EXPECT_ERRNO(ioctl(q.fd, _IO('W', 77)), EINVAL);
	KT_EXPECT_ERRNO(ioctl(q.fd, UACCE_CMD_GET_SS_DMA, &addr), EINVAL);
	KT_ASSERT(ioctl(q.fd, UACCE_CMD_START_Q) == 0, "start");
	KT_EXPECT_ERRNO(ioctl(q.fd, UACCE_CMD_START_Q), EINVAL);
	/* PUT_Q stops; the queue can be started again */
	KT_ASSERT(ioctl(q.fd, UACCE_CMD_PUT_Q) == 0, "put");
	KT_ASSERT(ioctl(q.fd, UACCE_CMD_START_Q) == 0, "restart");
	echo_inline_sqe(sqe, 9, 9);
	KT_ASSERT(qm_send(&q, sqe) == 0, "");
	KT_ASSERT(qm_recv(&q, out, 5000, NULL) == 0, "");
	KT_ASSERT(echo_inline_ok(out, 9, 9), "");
	qm_close(&q);
	return 0;
}

static int test_fork(void)
{
	uint32_t sqe[32], out[32];
	int status, pg = getpagesize();
	struct qm q;
	pid_t pid;

	KT_ASSERT(qm_open(&q, 1) == 0, "");
	pid = fork();
	KT_ASSERT(pid >= 0, "fork");
	if (pid == 0) {
		char line[512];
		FILE *f = fopen("/proc/self/maps", "r");
		int bad = 0;

		while (f && fgets(line, sizeof(line), f))
			if (strstr(line, "/dev/uacce"))
				bad |= 1;
		if (f)
			fclose(f);
		if (probe_read((char *)q.dus) == 0)
			bad |= 2;
		if (probe_read((char *)q.mmio) == 0)
			bad |= 4;
		errno = 0;
		if (ioctl(q.fd, UACCE_CMD_PUT_Q) != -1 || errno != EPERM)
			bad |= 8;
		if (ioctl(q.fd, UACCE_CMD_START_Q) != -1 || errno != EPERM)
			bad |= 16;
		if (mmap(NULL, q.dus_size, PROT_READ | PROT_WRITE, MAP_SHARED,
			 q.fd, UACCE_QFRT_DUS * pg) != MAP_FAILED)
			bad |= 32;
		close(q.fd);
		_exit(bad);
	}
	KT_ASSERT(waitpid(pid, &status, 0) == pid, "");
	KT_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		  "child status %#x (1 maps, 2/4 readable, 8/16 ioctl, 32 mmap)",
		  status);
	/* the parent's queue still works */
	echo_inline_sqe(sqe, 5, 5);
	KT_ASSERT(qm_send(&q, sqe) == 0, "");
	KT_ASSERT(qm_recv(&q, out, 5000, NULL) == 0, "");
	KT_ASSERT(echo_inline_ok(out, 5, 5), "");
	qm_close(&q);
	return 0;
}

static int test_kill9(void)
{
	int pfd[2], status, i;
	long avail;
	pid_t pid;
	char c;

	KT_ASSERT(echo_attr_long("available_instances") == ECHO_QUEUES, "");
	KT_ASSERT(pipe(pfd) == 0, "");
	pid = fork();
	KT_ASSERT(pid >= 0, "");
	if (pid == 0) {
		uint32_t sqe[32];
		struct qm q[3];

		for (i = 0; i < 3; i++)
			if (qm_open(&q[i], i != 2))
				_exit(1);
		/* one with a request in flight, never received */
		echo_inline_sqe(sqe, 1, 1);
		qm_send(&q[0], sqe);
		if (write(pfd[1], "x", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(pfd[1]);
	KT_ASSERT(read(pfd[0], &c, 1) == 1, "child did not set up");
	KT_ASSERT(echo_attr_long("available_instances") == ECHO_QUEUES - 3, "");
	kill(pid, SIGKILL);
	KT_ASSERT(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status), "");
	for (i = 0; i < 200; i++) {
		avail = echo_attr_long("available_instances");
		if (avail == ECHO_QUEUES)
			break;
		usleep(10000);
	}
	KT_ASSERT(avail == ECHO_QUEUES, "available_instances %ld", avail);
	return 0;
}

static int test_exhaust(void)
{
	struct qm q[ECHO_QUEUES];
	int i, fd;

	for (i = 0; i < ECHO_QUEUES; i++)
		KT_ASSERT(qm_open(&q[i], 1) == 0, "queue %d", i);
	KT_ASSERT(echo_attr_long("available_instances") == 0, "");
	errno = 0;
	fd = open(echo_dev, O_RDWR);
	KT_ASSERT(fd < 0 && errno == EBUSY, "9th open: %d", fd);
	for (i = 0; i < ECHO_QUEUES; i++)
		qm_close(&q[i]);
	KT_ASSERT(echo_attr_long("available_instances") == ECHO_QUEUES, "");
	return 0;
}

static int test_ss_share(void)
{
	const size_t sz = 1 << 20;
	int pg = getpagesize(), nullfd;
	unsigned long a1 = 0, a2 = 0;
	uint32_t sqe[32], out[32];
	unsigned char *s1, *s2;
	struct qm q1, q2, q3;
	size_t i;

	KT_ASSERT(qm_open(&q1, 1) == 0, "");
	KT_ASSERT(qm_open(&q2, 1) == 0, "");
	KT_ASSERT(qm_open(&q3, 0) == 0, "");
	/* the source must have a region */
	KT_EXPECT_ERRNO(ioctl(q2.fd, UACCE_CMD_SHARE_SVAS, q1.fd), EINVAL);
	s1 = mmap(NULL, sz, PROT_READ | PROT_WRITE, MAP_SHARED, q1.fd,
		  UACCE_QFRT_SS * pg);
	KT_ASSERT(s1 != MAP_FAILED, "mmap SS");
	KT_EXPECT_ERRNO(mmap(NULL, sz, PROT_READ | PROT_WRITE, MAP_SHARED, q1.fd,
			     UACCE_QFRT_SS * pg), EEXIST);
	for (i = 0; i < sz; i++)
		KT_ASSERT(s1[i] == 0, "SS not zeroed at %zu", i);
	for (i = 0; i < sz; i++)
		s1[i] = (unsigned char)(i * 7 + 3);

	nullfd = open("/dev/null", O_RDWR);
	KT_EXPECT_ERRNO(ioctl(q2.fd, UACCE_CMD_SHARE_SVAS, nullfd), EINVAL);
	KT_EXPECT_ERRNO(ioctl(q2.fd, UACCE_CMD_SHARE_SVAS, 999), EBADF);
	KT_EXPECT_ERRNO(ioctl(q1.fd, UACCE_CMD_SHARE_SVAS, q1.fd), EINVAL);
	close(nullfd);
	KT_ASSERT(ioctl(q2.fd, UACCE_CMD_SHARE_SVAS, q1.fd) == 0, "share");
	KT_EXPECT_ERRNO(ioctl(q2.fd, UACCE_CMD_SHARE_SVAS, q1.fd), EEXIST);
	KT_EXPECT_ERRNO(mmap(NULL, 2 * sz, PROT_READ | PROT_WRITE, MAP_SHARED,
			     q2.fd, UACCE_QFRT_SS * pg), EINVAL);
	s2 = mmap(NULL, sz, PROT_READ | PROT_WRITE, MAP_SHARED, q2.fd,
		  UACCE_QFRT_SS * pg);
	KT_ASSERT(s2 != MAP_FAILED, "mmap shared SS");
	KT_ASSERT(!memcmp(s1, s2, sz), "shared region differs");
	s2[12345] = 0x5a;
	KT_ASSERT(s1[12345] == 0x5a, "write through q2 not seen by q1");
	KT_ASSERT(ioctl(q1.fd, UACCE_CMD_GET_SS_DMA, &a1) == 0 && a1, "");
	KT_ASSERT(ioctl(q2.fd, UACCE_CMD_GET_SS_DMA, &a2) == 0 && a2 == a1, "");

	/* the device copies inside the region, submitted through q2 */
	memset(sqe, 0, sizeof(sqe));
	sqe[9] = ECHO_OP_COPY;
	sqe[4] = 4096;
	sqe[18] = (uint32_t)(a2 + 8192);
	sqe[19] = (uint32_t)((a2 + 8192) >> 32);
	sqe[20] = (uint32_t)(a2 + 65536);
	sqe[21] = (uint32_t)((a2 + 65536) >> 32);
	KT_ASSERT(qm_send(&q2, sqe) == 0, "");
	KT_ASSERT(qm_recv(&q2, out, 5000, NULL) == 0, "");
	KT_ASSERT((out[3] & 0xff) == 0 && out[1] == 4096, "status %x produced %u",
		  out[3], out[1]);
	KT_ASSERT(!memcmp(s1 + 65536, s1 + 8192, 4096), "copy not seen via q1");
	/* out of the region: refused by the device */
	sqe[20] = (uint32_t)(a2 + sz - 100);
	KT_ASSERT(qm_send(&q2, sqe) == 0, "");
	KT_ASSERT(qm_recv(&q2, out, 5000, NULL) == 1, "");
	KT_ASSERT((out[3] & 0xff) == ECHO_ST_BAD_ADDR, "status %x", out[3]);
	/* q3 has no region: the same request fails there */
	sqe[20] = (uint32_t)(a2 + 65536);
	KT_ASSERT(ioctl(q3.fd, UACCE_CMD_START_Q) == 0, "");
	KT_ASSERT(qm_send(&q3, sqe) == 0, "");
	KT_ASSERT(qm_recv(&q3, out, 5000, NULL) == 0, "");
	KT_ASSERT((out[3] & 0xff) == ECHO_ST_BAD_ADDR, "status %x", out[3]);

	/* the region outlives the queue that created it */
	munmap(s1, sz);
	qm_close(&q1);
	KT_ASSERT(s2[12345] == 0x5a && s2[8192 + 1] == s2[65536 + 1], "");
	munmap(s2, sz);
	qm_close(&q2);
	qm_close(&q3);
	return 0;
}

static int cycle(int deep)
{
	struct qm q;
	void *ss;

	if (!deep) {
		int fd = open(echo_dev, O_RDWR | O_CLOEXEC);

		if (fd < 0)
			return -1;
		close(fd);
		return 0;
	}
	if (qm_open(&q, 1))
		return -1;
	ss = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_SHARED, q.fd,
		  UACCE_QFRT_SS * getpagesize());
	if (ss == MAP_FAILED)
		return -1;
	munmap(ss, 65536);
	qm_close(&q);
	return 0;
}

static int test_cycles(void)
{
	long slab0, slab1, vm0, vm1;
	int i;

	for (i = 0; i < 200; i++)
		KT_ASSERT(cycle(i & 1) == 0, "warm-up %d", i);
	sleep(1);
	slab0 = kt_meminfo("SUnreclaim");
	vm0 = kt_meminfo("VmallocUsed");
	for (i = 0; i < 1000; i++) {
		KT_ASSERT(cycle(i & 1) == 0, "cycle %d", i);
		if (i % 100 == 0)
			KT_ASSERT(echo_attr_long("available_instances") ==
				  ECHO_QUEUES, "cycle %d", i);
	}
	sleep(1);
	slab1 = kt_meminfo("SUnreclaim");
	vm1 = kt_meminfo("VmallocUsed");
	KT_ASSERT(echo_attr_long("available_instances") == ECHO_QUEUES, "");
	printf("KTEST INFO cycles: SUnreclaim %ld -> %ld kB, VmallocUsed %ld -> %ld kB\n",
	       slab0, slab1, vm0, vm1);
	/* 500 leaked queues would be >= 100 kB of slab, 500 regions 32 MB */
	KT_ASSERT(slab1 - slab0 < 96, "slab grew %ld kB", slab1 - slab0);
	KT_ASSERT(vm1 - vm0 < 1024, "vmalloc grew %ld kB", vm1 - vm0);
	return 0;
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (echo_find()) {
		printf("KTEST FAIL uacce_echo_present: no /sys/class/uacce/%s*\n",
		       ECHO_PREFIX);
		return 1;
	}
	printf("KTEST PASS uacce_echo_present\n");
	kt_passed++;
	kt_run("sysfs_attributes", test_sysfs, 30);
	kt_run("echo_ring_poll_phase", test_echo_ring, 60);
	kt_run("doorbell_trap_no_lost_sq", test_doorbell_trap, 60);
	kt_run("poll_idle_queue", test_poll_idle, 30);
	kt_run("mmap_once_per_fd", test_mmap_once, 30);
	kt_run("mmap_bad_offsets_sizes", test_mmap_bad, 30);
	kt_run("ioctl_start_put_state", test_ioctl_state, 30);
	kt_run("fork_child_no_queue", test_fork, 30);
	kt_run("kill9_releases_queues", test_kill9, 30);
	kt_run("exhaust_instances", test_exhaust, 30);
	kt_run("ss_region_shared", test_ss_share, 60);
	kt_run("open_close_1000_no_leak", test_cycles, 180);
	return kt_failed ? 1 : 0;
}

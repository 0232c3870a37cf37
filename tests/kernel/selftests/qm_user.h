/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small QM user driver for the selftests: the same steps as a user
 * driver for hisi_qm_v2 hardware (map DUS and MMIO, SET_QP_CTX,
 * SET_QP_INFO, START_Q; SQ/CQ rings with a phase bit; 64-bit doorbell).
 */
#ifndef QM_USER_H
#define QM_USER_H

#include "ktest.h"
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <misc/uacce/uacce.h>
#include <misc/uacce/hisi_qm.h>

#define ECHO_PREFIX		"uacce_echo-"
#define QM_DB_OFFSET		0x1000
#define QM_DB_SQ		0
#define QM_DB_CQ		1
#define ECHO_OP_INLINE		0x00
#define ECHO_OP_COPY		0x01
#define ECHO_ST_BAD_ADDR	0x20

struct qm_cqe {
	uint32_t rsvd0;
	uint16_t cmd_id;
	uint16_t rsvd1;
	uint16_t sq_head;
	uint16_t sq_num;
	uint16_t rsvd2;
	uint16_t w7;
};

struct qm {
	int fd;
	void *mmio;
	void *dus;
	size_t mmio_size;
	size_t dus_size;
	uint16_t id;
	uint32_t sqe_size;
	uint16_t depth;
	uint16_t sq_tail;
	uint16_t cq_head;
	uint16_t phase;
	unsigned int inflight;
};

static char echo_name[256];	/* uacce_echo-<id> */
static char echo_dev[272];	/* /dev/uacce_echo-<id> */

/* Find the echo device in sysfs.  Returns 0 or -1. */
static int echo_find(void)
{
	struct dirent *de;
	DIR *d = opendir("/sys/class/uacce");
	int ret = -1;

	if (!d)
		return -1;
	while ((de = readdir(d))) {
		if (!strncmp(de->d_name, ECHO_PREFIX, strlen(ECHO_PREFIX))) {
			snprintf(echo_name, sizeof(echo_name), "%s", de->d_name);
			snprintf(echo_dev, sizeof(echo_dev), "/dev/%s", de->d_name);
			ret = 0;
			break;
		}
	}
	closedir(d);
	return ret;
}

/* Read /sys/class/uacce/<echo>/<attr> into buf; returns bytes or -1. */
static ssize_t echo_attr(const char *attr, char *buf, size_t len)
{
	char path[512];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/sys/class/uacce/%s/%s", echo_name, attr);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n >= 0)
		buf[n] = 0;
	return n;
}

static long echo_attr_long(const char *attr)
{
	char buf[64];

	if (echo_attr(attr, buf, sizeof(buf)) <= 0)
		return -1;
	return strtol(buf, NULL, 0);
}

static void qm_ring(struct qm *q, unsigned int cmd, unsigned int index,
		    unsigned int prio)
{
	uint64_t v = (uint64_t)q->id | (uint64_t)cmd << 12 |
		     (uint64_t)index << 32 | (uint64_t)prio << 48;

	__sync_synchronize();
	*(volatile uint64_t *)((char *)q->mmio + QM_DB_OFFSET) = v;
}

/* Closes a queue that failed to open, keeping errno.  Always -1. */
static int qm_fail(struct qm *q)
{
	int e = errno;

	close(q->fd);
	errno = e;
	return -1;
}

/* Open the device and map the queue's DUS and MMIO.  0, or -1 (errno) with the fd closed. */
static int qm_map(struct qm *q)
{
	memset(q, 0, sizeof(*q));
	q->phase = 1;
	q->mmio_size = echo_attr_long("region_mmio_size");
	q->dus_size = echo_attr_long("region_dus_size");
	q->fd = open(echo_dev, O_RDWR | O_CLOEXEC);
	if (q->fd < 0)
		return -1;
	q->dus = mmap(NULL, q->dus_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		      q->fd, UACCE_QFRT_DUS * getpagesize());
	if (q->dus == MAP_FAILED)
		return qm_fail(q);
	q->mmio = mmap(NULL, q->mmio_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		       q->fd, UACCE_QFRT_MMIO * getpagesize());
	if (q->mmio == MAP_FAILED)
		return qm_fail(q);
	return 0;
}

/* SET_QP_CTX (qc_type), SET_QP_INFO, and START_Q if start.  0 or -1 (errno); the caller closes. */
static int qm_configure(struct qm *q, int qc_type, int start)
{
	struct hisi_qp_ctx ctx = { .qc_type = qc_type };
	struct hisi_qp_info info;

	if (ioctl(q->fd, UACCE_CMD_QM_SET_QP_CTX, &ctx))
		return -1;
	q->id = ctx.id;
	if (ioctl(q->fd, UACCE_CMD_QM_SET_QP_INFO, &info))
		return -1;
	q->sqe_size = info.sqe_size;
	q->depth = info.sq_depth;
	if (start && ioctl(q->fd, UACCE_CMD_START_Q))
		return -1;
	return 0;
}

/* Open, map, configure and (if start) start a queue.  0 or -1 (errno). */
static int qm_open(struct qm *q, int start)
{
	if (qm_map(q))
		return -1;
	return qm_configure(q, 0, start) ? qm_fail(q) : 0;
}

static void qm_close(struct qm *q)
{
	ioctl(q->fd, UACCE_CMD_PUT_Q);
	if (q->dus && q->dus != MAP_FAILED)
		munmap(q->dus, q->dus_size);
	if (q->mmio && q->mmio != MAP_FAILED)
		munmap(q->mmio, q->mmio_size);
	close(q->fd);
}

static uint32_t *qm_sqe(struct qm *q, unsigned int i)
{
	return (uint32_t *)((char *)q->dus + (size_t)q->sqe_size * i);
}

static volatile struct qm_cqe *qm_cqe(struct qm *q, unsigned int i)
{
	return (volatile struct qm_cqe *)((char *)q->dus +
		(size_t)q->sqe_size * q->depth + sizeof(struct qm_cqe) * i);
}

/* Queue one SQE (sqe_size bytes) and ring the doorbell.  0 or -1 (full). */
static int qm_send(struct qm *q, const void *sqe)
{
	if (q->inflight >= q->depth - 1u)
		return -1;
	memcpy(qm_sqe(q, q->sq_tail), sqe, q->sqe_size);
	q->sq_tail = (q->sq_tail + 1) % q->depth;
	q->inflight++;
	qm_ring(q, QM_DB_SQ, q->sq_tail, 0);
	return 0;
}

static int qm_cqe_ready(struct qm *q)
{
	return (qm_cqe(q, q->cq_head)->w7 & 1) == q->phase;
}

/*
 * Wait for one completion (poll() when none is there), copy the completed
 * SQE to out.  Returns the SQ index, -1 on timeout, -2 if poll() fails or
 * reports an error.  *woke counts poll() calls that reported POLLIN.
 */
static int qm_recv(struct qm *q, void *out, int timeout_ms, int *woke)
{
	struct pollfd pfd = { .fd = q->fd, .events = POLLIN };
	int waited = 0, r;
	uint16_t j;

	while (!qm_cqe_ready(q)) {
		if (waited >= timeout_ms)
			return -1;
		r = poll(&pfd, 1, 100);
		if (r < 0 || (r > 0 && (pfd.revents & (POLLERR | POLLHUP))))
			return -2;
		if (r > 0 && woke)
			(*woke)++;
		if (r == 0) {
			waited += 100;
			/* the echo doorbell is polled memory: re-ring */
			qm_ring(q, QM_DB_SQ, q->sq_tail, 0);
		}
	}
	__sync_synchronize();
	j = qm_cqe(q, q->cq_head)->sq_head;
	if (j >= q->depth)
		return -2;
	if (out)
		memcpy(out, qm_sqe(q, j), q->sqe_size);
	if (++q->cq_head == q->depth) {
		q->cq_head = 0;
		q->phase ^= 1;
	}
	q->inflight--;
	return j;
}

static void echo_inline_sqe(uint32_t *sqe, uint32_t seed, uint32_t tag)
{
	int i;

	memset(sqe, 0, 128);
	sqe[9] = ECHO_OP_INLINE;
	sqe[13] = tag;
	for (i = 16; i < 24; i++)
		sqe[i] = seed * 2654435761u + i;
}

static int echo_inline_ok(const uint32_t *out, uint32_t seed, uint32_t tag)
{
	int i;

	if ((out[3] & 0xff) != 0 || out[13] != tag || out[1] != 32)
		return 0;
	for (i = 0; i < 8; i++)
		if (out[24 + i] != seed * 2654435761u + 16 + i)
			return 0;
	return 1;
}

#endif /* QM_USER_H */

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hisi_zip (soft engine): what the module's files share.
 *
 *   zip_main.c  module parameters, the soft devices, uacce registration
 *   qm.c        queue pairs: uacce ops, rings, doorbells, CQEs, isolation
 *   zip_soft.c  the engine: one SQE through the kernel's zlib
 *   zip_mem.c   the SQE's buffers: the opener's memory (SVA) or the
 *               queue's static shared region (no SVA)
 *
 * Locking, outermost first: uacce_device.mutex -> uacce_queue.mutex (the
 * uacce core takes them around our ops) -> hzip_dev.lock (queue allocation,
 * error log) -> hzip_dev.streams_lock -> hzip_qp.lock (spinlock: doorbell latch and started flag).
 * The engine (a work item per queue) takes only hzip_qp.lock and,
 * with trylock, the opener's mmap_lock; stop_queue waits for it under the
 * uacce mutexes, so it must never sleep on anything those protect (see
 * zip_mem.c).
 */
#ifndef HISI_ZIP_SOFT_H
#define HISI_ZIP_SOFT_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <linux/wd_uacce.h>
#include <linux/zlib.h>

#define HZIP_NAME		"hisi_zip"
#define HZIP_SQE_SIZE		128
#define HZIP_CQE_SIZE		16
/* v2/v3 without doorbell isolation: the doorbell at 0x1000 of BAR2 */
#define HZIP_DB_OFFSET		0x1000
#define HZIP_MMIO_PAGES		(1 + HZIP_DB_OFFSET / PAGE_SIZE)
/* the doorbell word's value while no store is pending (polled mode) */
#define HZIP_DB_IDLE		(~0ULL)
#define HZIP_DB_CMD_SQ		0
#define HZIP_DB_CMD_CQ		1
#define HZIP_MAX_QC_TYPE	2
/* flat buffers: at most 8 MiB in and out per SQE (spec section 4) */
#define HZIP_MAX_BUF		(8U << 20)

/* request types, dw9 bits 7:0 */
#define HZIP_TYPE_DEFLATE	0x01
#define HZIP_TYPE_ZLIB		0x02
#define HZIP_TYPE_GZIP		0x03

/* status, dw3 bits 7:0 (0x20.. are soft-engine codes, as WarpDrive's) */
#define HZIP_ST_OK		0x00
#define HZIP_ST_NEGATIVE	0x0d
#define HZIP_ST_OUT_SMALL	0x0e
#define HZIP_ST_CRC_ERR		0x10
#define HZIP_ST_DECOMP_END	0x13
#define HZIP_ST_ADDR_FAULT	0x20
#define HZIP_ST_STREAM_LOST	0x21
#define HZIP_ST_ENGINE_FAULT	0x22
#define HZIP_ST_BAD_PARAM	0x23
#define HZIP_LAST_BLOCK		0x100

struct hzip_dev;

/**
 * struct hzip_stream - a stream-mode (stateful) request sequence
 * @node: in hzip_dev.streams, most recently used first
 * @mm: the opener's mm of the queues it runs on: streams are never shared
 *	between processes (an inflate window holds the owner's data)
 * @cookie: names it; also written at the start of the stream context
 *	buffer, which is how a later request names it (the buffer's address
 *	may change between requests, e.g. staged into a no-SVA region, and so
 *	may the queue: a user driver may send each request on another queue)
 * @inflate: decompression (else compression)
 * @busy: a request runs on it (under hzip_dev.streams_lock)
 * @zs: the zlib stream; its workspace is vmalloc()ed
 */
struct hzip_stream {
	struct list_head node;
	struct mm_struct *mm;
	u64 cookie;
	bool inflate;
	bool busy;
	z_stream zs;
};

/**
 * struct hzip_qp - one queue pair
 * @zdev: the device
 * @id: QP index, "qn" in the doorbell
 * @in_use: given to a uacce queue (under hzip_dev.lock)
 * @q: the uacce queue while @in_use
 * @mmio: HZIP_MMIO_PAGES pages; the doorbell word at HZIP_DB_OFFSET
 * @dus: SQ, CQ, stop words (hzip_dev.dus_size bytes)
 * @qc_type: SET_QP_CTX: 0 compress, 1 decompress
 * @lock: @started, @sq_tail, @polled
 * @started: the engine may run this queue
 * @polled: doorbell stores land in the mapped word (not trapped): polled
 * @sq_tail: tail of the last SQ doorbell
 * @sq_head: engine: next SQE to run (only the work item, or stopped)
 * @cq_tail: engine: next CQE slot (same)
 * @cq_phase: engine: phase bit of this lap (same)
 * @cq_written: CQEs written since start; read by is_q_updated()
 * @cq_polled: @cq_written as is_q_updated() last saw it (under q->mutex)
 * @last_work: jiffies of the last request, for the polled interval
 * @work: runs the SQEs between @sq_head and @sq_tail
 * @poll_work: polled mode only: reads the doorbell word now and then
 * @dz: stateless compression stream (workspace allocated on first use)
 * @iz: stateless decompression stream (same)
 * @in_buf: bounce buffer for input (HZIP_CHUNK bytes)
 * @out_buf: bounce buffer for output (HZIP_CHUNK bytes)
 */
struct hzip_qp {
	struct hzip_dev *zdev;
	u16 id;
	bool in_use;
	struct uacce_queue *q;
	void *mmio;
	void *dus;
	u16 qc_type;
	spinlock_t lock;	/* see @lock above */
	bool started;
	bool polled;
	u16 sq_tail;
	u16 sq_head;
	u16 cq_tail;
	u16 cq_phase;
	u64 cq_written;
	u64 cq_polled;
	unsigned long last_work;
	struct work_struct work;
	struct delayed_work poll_work;
	z_stream dz;
	z_stream iz;
	void *in_buf;
	void *out_buf;
};

/**
 * struct hzip_dev - one soft ZIP device
 * @pdev: parent platform device
 * @uacce: its uacce device
 * @lock: the queues' @in_use, the error log and @isolated
 * @sva: buffers are process addresses (else static shared region offsets)
 * @err_threshold: isolate_strategy: engine faults per hour that isolate
 * @err_count: engine faults since @err_since
 * @err_since: jiffies the current hour of the error log began
 * @isolated: too many engine faults: new queues are refused
 * @next_cookie: stream cookies
 * @nr_requests: requests run, for fault_every
 * @streams_lock: @streams and @nr_streams, and the streams' busy flags
 * @streams: stream-mode state of all queues, most recently used first
 * @nr_streams: entries in @streams, at most max_streams x queues
 * @dus_size: DUS bytes per queue
 * @nr_qps: queues
 * @qps: the queues
 */
struct hzip_dev {
	struct platform_device *pdev;
	struct uacce_device *uacce;
	struct mutex lock;	/* see @lock above */
	bool sva;
	u32 err_threshold;
	u32 err_count;
	unsigned long err_since;
	bool isolated;
	atomic64_t next_cookie;
	atomic_t nr_requests;
	struct mutex streams_lock;	/* see @streams_lock above */
	struct list_head streams;
	unsigned int nr_streams;
	size_t dus_size;
	unsigned int nr_qps;
	struct hzip_qp qps[];
};

/* module parameters (zip_main.c) */
extern unsigned int hzip_depth;
extern unsigned int hzip_api;
extern unsigned int hzip_max_streams;
extern unsigned int hzip_fault_every;
extern bool hzip_trap_doorbell;
extern struct workqueue_struct *hzip_wq;

/* qm.c */
extern const struct uacce_ops hzip_uacce_ops;
int hzip_qp_init(struct hzip_dev *zdev, struct hzip_qp *qp, u16 id);
void hzip_qp_free(struct hzip_qp *qp);
void hzip_count_engine_fault(struct hzip_dev *zdev);

/* zip_soft.c: runs the SQE in @slot; false when the queue stopped meanwhile */
bool hzip_exec(struct hzip_qp *qp, __le32 *slot);
void hzip_engine_free(struct hzip_qp *qp);
void hzip_streams_free(struct hzip_dev *zdev, struct mm_struct *mm);

/* zip_mem.c */
#define HZIP_CHUNK		(64U << 10)
struct hzip_mem {
	struct hzip_qp *qp;
	struct mm_struct *mm;	/* SVA: the opener's, with a user count */
};
int hzip_mem_begin(struct hzip_mem *m, struct hzip_qp *qp);
void hzip_mem_end(struct hzip_mem *m);
bool hzip_mem_range_ok(struct hzip_mem *m, u64 addr, u64 len);
int hzip_mem_read(struct hzip_mem *m, u64 addr, void *buf, size_t len);
int hzip_mem_write(struct hzip_mem *m, u64 addr, const void *buf, size_t len);

#endif /* HISI_ZIP_SOFT_H */

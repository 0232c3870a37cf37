// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * uacce_echo - a test parent driver for uacce (echo_main.c: the device;
 * echo_x86.c: the x86-64 instruction decoding its doorbell trap needs).
 *
 * It registers /dev/uacce_echo-<id> with api "hisi_qm_v2" and algorithm
 * "echo".  Each queue has the QM user layout:
 *
 *   MMIO (2 pages)  doorbell, one 64-bit word at 0x1000, v2 format:
 *                   qn | cmd << 12 | index << 32 | priority << 48
 *   DUS             SQ (depth x 128-byte SQEs), CQ (depth x 16-byte CQEs)
 *                   right after it, RX/TX stop words in the last 8 bytes
 *
 * Doorbells (trap_doorbell=1, the default on x86-64): the doorbell page is
 * left unmapped, so every store to it faults; echo_fault() decodes the
 * storing instruction (mov r/m64, r64 or imm32, the forms compilers and
 * the .NET JIT emit for one 64-bit store), takes the value from the
 * user's registers, latches an SQ doorbell's tail into the queue at once
 * and steps the user past the instruction, like a hypervisor emulating
 * MMIO.  So each doorbell is seen, in order: a CQ doorbell right after an
 * SQ one no longer hides it.  An access it cannot decode maps the page
 * instead (that queue then falls back to polling, below).
 *
 * The "hardware" is a kernel thread that executes what the doorbells
 * announced, polling every 50-100 us while busy and every 0.5-1 ms after
 * 10 ms without work.  Without the trap (trap_doorbell=0, or after the
 * fallback) MMIO is a plain page and the thread also polls the doorbell
 * word, swapping in ECHO_DB_IDLE when it has read one: two stores between
 * two polls lose the first, but an SQ doorbell carries the absolute tail,
 * so the next SQ doorbell recovers.  It executes the SQEs between its head
 * and the rung tail, writes the results back into the SQE slot, writes a
 * CQE with the phase bit (starting at 1) and wakes poll().
 *
 * Echo SQE (the ZIP word positions where they have a meaning):
 *   dw0  out  bytes consumed        dw1  out  bytes produced
 *   dw3  out  status (bits 7:0)     dw4  in   length (ECHO_OP_COPY)
 *   dw9  in   op (bits 7:0)         dw13 in   tag, untouched
 *   dw16..23  in  inline payload    dw24..31 out  copy of dw16..23
 *   dw18/19   in  source address (ECHO_OP_COPY, in the static shared region)
 *   dw20/21   in  destination address (ECHO_OP_COPY)
 */

#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/wd_uacce.h>
#include <linux/uaccess.h>
#include <linux/version.h>
#include <asm/unaligned.h>
#include <uapi/misc/uacce/hisi_qm.h>

#include "echo_x86.h"

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
#define echo_vma_set_flags(vma, flags)	vm_flags_set(vma, flags)
#else
#define echo_vma_set_flags(vma, flags)	((vma)->vm_flags |= (flags))
#endif

#define ECHO_NAME		"uacce_echo"
#define ECHO_SQE_SIZE		128
#define ECHO_CQE_SIZE		16
#define ECHO_MMIO_PAGES		(1 + 0x1000 / PAGE_SIZE)
#define ECHO_DB_OFFSET		0x1000
#define ECHO_DB_IDLE		(~0ULL)
#define ECHO_MAX_QC_TYPE	2

#define ECHO_OP_INLINE		0x00
#define ECHO_OP_COPY		0x01
#define ECHO_ST_OK		0x00
#define ECHO_ST_BAD_ADDR	0x20
#define ECHO_ST_BAD_OP		0x21

#define ECHO_DB_CMD_SQ		0
#define ECHO_DB_CMD_CQ		1

static unsigned int max_queues = 8;
module_param(max_queues, uint, 0444);
MODULE_PARM_DESC(max_queues, "Number of queues (1-64, default 8)");

static unsigned int depth = 16;
module_param(depth, uint, 0444);
MODULE_PARM_DESC(depth, "SQ and CQ depth (2-1024, default 16)");

static bool trap_doorbell = IS_ENABLED(CONFIG_X86_64);
module_param(trap_doorbell, bool, 0444);
MODULE_PARM_DESC(trap_doorbell,
		 "Trap and decode doorbell stores instead of polling the word (x86-64 only)");

struct echo_cqe {
	__le32 rsvd0;
	__le16 cmd_id;
	__le16 rsvd1;
	__le16 sq_head;
	__le16 sq_num;
	__le16 rsvd2;
	__le16 w7;
};

struct echo_dev;

/**
 * struct echo_qp - one hardware queue
 * @edev: the device
 * @id: queue index, "qn" in the doorbell
 * @in_use: allocated to a uacce queue (under echo_dev.lock)
 * @started: polled by the thread (under echo_dev.lock)
 * @mmio: ECHO_MMIO_PAGES pages, the doorbell page
 * @dus: DUS pages: SQ, CQ, stop words
 * @q: the uacce queue while @in_use
 * @sq_head: device: next SQE to execute (thread, under echo_dev.lock)
 * @sq_tail: device: tail of the last SQ doorbell (same)
 * @cq_tail: device: next CQE slot (same)
 * @cq_phase: device: phase written into CQEs of this lap (same)
 * @cq_written: CQEs written since start; read by is_q_updated
 * @cq_polled: @cq_written as last seen by is_q_updated (under q->mutex)
 * @qc_type: queue type from SET_QP_CTX (under uacce_device.mutex)
 */
struct echo_qp {
	struct echo_dev *edev;
	u16 id;
	bool in_use;
	bool started;
	void *mmio;
	void *dus;
	struct uacce_queue *q;
	u16 sq_head;
	u16 sq_tail;
	u16 cq_tail;
	u16 cq_phase;
	u64 cq_written;
	u64 cq_polled;
	u16 qc_type;
};

/**
 * struct echo_dev - the echo device
 * @pdev: parent platform device
 * @uacce: the uacce device
 * @lock: protects the queues' in_use/started flags and the device side of
 *	their rings; the thread holds it while it executes requests
 * @thread: the "hardware"
 * @thread_wait: the thread sleeps here while no queue is started
 * @nr_started: started queues (under @lock)
 * @err_threshold: sysfs isolate_strategy (under @lock)
 * @dus_size: DUS bytes per queue
 * @qps: the queues
 */
struct echo_dev {
	struct platform_device *pdev;
	struct uacce_device *uacce;
	struct mutex lock;	/* see @lock above */
	struct task_struct *thread;
	wait_queue_head_t thread_wait;
	unsigned int nr_started;
	u32 err_threshold;
	size_t dus_size;
	struct echo_qp qps[];
};

static struct echo_dev *echo_dev;

static struct echo_cqe *echo_cqe(struct echo_qp *qp, unsigned int i)
{
	return qp->dus + ECHO_SQE_SIZE * depth + ECHO_CQE_SIZE * i;
}

/* Execute one SQE.  Caller holds edev->lock. */
static void echo_exec(struct echo_qp *qp, unsigned int slot)
{
	__le32 *sqe = qp->dus + ECHO_SQE_SIZE * slot;
	__le32 in[ECHO_SQE_SIZE / 4];
	u32 status = ECHO_ST_OK, len = 0;
	u64 src, dst;
	void *s, *d;

	/* user space may change the slot under us: read it once */
	memcpy(in, sqe, sizeof(in));

	switch (le32_to_cpu(in[9]) & 0xff) {
	case ECHO_OP_INLINE:
		len = 8 * sizeof(u32);
		memcpy(&sqe[24], &in[16], len);
		break;
	case ECHO_OP_COPY:
		len = le32_to_cpu(in[4]);
		src = le32_to_cpu(in[18]) | (u64)le32_to_cpu(in[19]) << 32;
		dst = le32_to_cpu(in[20]) | (u64)le32_to_cpu(in[21]) << 32;
		s = uacce_ss_translate(qp->q, src, len);
		d = uacce_ss_translate(qp->q, dst, len);
		if (!s || !d) {
			status = ECHO_ST_BAD_ADDR;
			len = 0;
			break;
		}
		memmove(d, s, len);
		break;
	default:
		status = ECHO_ST_BAD_OP;
		break;
	}
	WRITE_ONCE(sqe[0], cpu_to_le32(len));
	WRITE_ONCE(sqe[1], cpu_to_le32(len));
	WRITE_ONCE(sqe[3], cpu_to_le32(status));
}

static void echo_complete(struct echo_qp *qp, unsigned int slot)
{
	struct echo_cqe *cqe = echo_cqe(qp, qp->cq_tail);

	cqe->rsvd0 = 0;
	cqe->cmd_id = 0;
	cqe->rsvd1 = 0;
	cqe->sq_head = cpu_to_le16(slot);
	cqe->sq_num = cpu_to_le16(qp->id);
	cqe->rsvd2 = 0;
	/* results and CQE body before the phase bit that publishes them */
	smp_wmb();
	WRITE_ONCE(cqe->w7, cpu_to_le16(qp->cq_phase));

	if (++qp->cq_tail == depth) {
		qp->cq_tail = 0;
		qp->cq_phase ^= 1;
	}
	/* the CQE before the count that is_q_updated() reads */
	smp_wmb();
	WRITE_ONCE(qp->cq_written, qp->cq_written + 1);
}

/* An SQ doorbell for this queue latches its tail.  Caller holds edev->lock. */
static void echo_doorbell(struct echo_qp *qp, u64 val)
{
	if ((val & 0xfff) == qp->id && ((val >> 12) & 0xf) == ECHO_DB_CMD_SQ &&
	    ((val >> 32) & 0xffff) < depth && qp->started)
		qp->sq_tail = (val >> 32) & 0xffff;
	/* CQ doorbells (flow control, interrupt re-arm) need no action */
}

/* Caller holds edev->lock.  Returns true when it did some work. */
static bool echo_poll_qp(struct echo_qp *qp)
{
	u64 *db = qp->mmio + ECHO_DB_OFFSET;
	bool work = false;
	u64 val;

	/* the word: doorbells the trap did not catch (page mapped) */
	val = xchg(db, ECHO_DB_IDLE);
	if (val != ECHO_DB_IDLE)
		echo_doorbell(qp, val);

	while (qp->sq_head != qp->sq_tail) {
		echo_exec(qp, qp->sq_head);
		echo_complete(qp, qp->sq_head);
		qp->sq_head = (qp->sq_head + 1) % depth;
		work = true;
	}
	if (work)
		uacce_wake_up(qp->q);
	return work;
}

static int echo_thread(void *data)
{
	struct echo_dev *edev = data;
	unsigned long last_work = jiffies;
	unsigned int i;
	bool work, idle;

	while (!kthread_should_stop()) {
		work = false;
		mutex_lock(&edev->lock);
		for (i = 0; i < max_queues; i++)
			if (edev->qps[i].started)
				work |= echo_poll_qp(&edev->qps[i]);
		idle = !edev->nr_started;
		mutex_unlock(&edev->lock);

		if (idle) {
			wait_event_interruptible(edev->thread_wait,
						 READ_ONCE(edev->nr_started) ||
						 kthread_should_stop());
			last_work = jiffies;
		} else if (work) {
			last_work = jiffies;
			cond_resched();
		} else if (time_before(jiffies,
				       last_work + msecs_to_jiffies(10))) {
			usleep_range(50, 100);		/* busy: react fast */
		} else {
			usleep_range(500, 1000);	/* quiet: poll less */
		}
	}
	return 0;
}

static int echo_get_available_instances(struct uacce_device *uacce)
{
	struct echo_dev *edev = uacce->priv;
	unsigned int i;
	int n = 0;

	mutex_lock(&edev->lock);
	for (i = 0; i < max_queues; i++)
		n += !edev->qps[i].in_use;
	mutex_unlock(&edev->lock);
	return n;
}

static int echo_get_queue(struct uacce_device *uacce, unsigned long arg,
			  struct uacce_queue *q)
{
	struct echo_dev *edev = uacce->priv;
	struct echo_qp *qp = NULL;
	unsigned int i;

	mutex_lock(&edev->lock);
	for (i = 0; i < max_queues; i++) {
		if (!edev->qps[i].in_use) {
			qp = &edev->qps[i];
			break;
		}
	}
	if (!qp) {
		mutex_unlock(&edev->lock);
		return -EBUSY;
	}
	qp->in_use = true;
	qp->started = false;
	qp->qc_type = 0;
	memset(qp->mmio, 0, ECHO_MMIO_PAGES * PAGE_SIZE);
	memset(qp->dus, 0, edev->dus_size);
	qp->q = q;
	q->priv = qp;
	mutex_unlock(&edev->lock);
	return 0;
}

static void echo_put_queue(struct uacce_queue *q)
{
	struct echo_qp *qp = q->priv;
	struct echo_dev *edev = qp->edev;

	mutex_lock(&edev->lock);
	qp->in_use = false;
	qp->q = NULL;
	q->priv = NULL;
	mutex_unlock(&edev->lock);
}

static int echo_start_queue(struct uacce_queue *q)
{
	struct echo_qp *qp = q->priv;
	struct echo_dev *edev = qp->edev;

	mutex_lock(&edev->lock);
	qp->sq_head = 0;
	qp->sq_tail = 0;
	qp->cq_tail = 0;
	qp->cq_phase = 1;
	qp->cq_written = 0;
	qp->cq_polled = 0;
	memset(echo_cqe(qp, 0), 0, ECHO_CQE_SIZE * depth);
	WRITE_ONCE(*(u64 *)(qp->mmio + ECHO_DB_OFFSET), ECHO_DB_IDLE);
	qp->started = true;
	edev->nr_started++;
	mutex_unlock(&edev->lock);
	wake_up(&edev->thread_wait);
	return 0;
}

static void echo_stop_queue(struct uacce_queue *q)
{
	struct echo_qp *qp = q->priv;
	struct echo_dev *edev = qp->edev;

	/* the thread holds the lock while it works: it is done with qp */
	mutex_lock(&edev->lock);
	if (qp->started) {
		qp->started = false;
		edev->nr_started--;
	}
	mutex_unlock(&edev->lock);
}

static int echo_is_q_updated(struct uacce_queue *q)
{
	struct echo_qp *qp = q->priv;
	u64 written = READ_ONCE(qp->cq_written);

	if (written == qp->cq_polled)
		return 0;
	qp->cq_polled = written;
	return 1;
}

#ifdef CONFIG_X86_64
/*
 * Emulate a user access to the (unmapped) doorbell page, so that every
 * doorbell store is seen.  Caller holds q->mutex (uacce) and mmap_lock for
 * reading: no user memory is touched but the instruction, read without
 * faulting.  Returns false when it cannot: the caller maps the page.
 */
static bool echo_trap(struct echo_qp *qp, struct vm_fault *vmf, void *page)
{
	struct pt_regs *regs = task_pt_regs(current);
	unsigned long off = vmf->real_address & ~PAGE_MASK;
	struct echo_access a;

	if (!(vmf->flags & FAULT_FLAG_USER) || !echo_decode(regs, &a) ||
	    a.addr != vmf->real_address || off + a.size > PAGE_SIZE ||
	    !!(vmf->flags & FAULT_FLAG_WRITE) != a.store)
		return false;

	mutex_lock(&qp->edev->lock);
	if (!a.store) {
		/* loads read the page; a 32-bit load zero-extends */
		*a.reg = a.size == 8 ? READ_ONCE(*(u64 *)(page + off)) :
				       READ_ONCE(*(u32 *)(page + off));
	} else if (off == ECHO_DB_OFFSET % PAGE_SIZE && a.size == 8) {
		echo_doorbell(qp, a.val);
	} else if (a.size == 8) {
		WRITE_ONCE(*(u64 *)(page + off), a.val);
	} else {
		WRITE_ONCE(*(u32 *)(page + off), a.val);
	}
	mutex_unlock(&qp->edev->lock);
	regs->ip += a.len;
	return true;
}
#else
static bool echo_trap(struct echo_qp *qp, struct vm_fault *vmf, void *page)
{
	return false;
}
#endif

/* uacce ops->fault: only the doorbell page is left unmapped (trap_doorbell). */
static vm_fault_t echo_fault(struct uacce_queue *q,
			     struct uacce_qfile_region *qfr,
			     struct vm_fault *vmf, unsigned long idx)
{
	struct echo_qp *qp = q->priv;
	void *page;

	if (qfr->type != UACCE_QFRT_MMIO || idx != ECHO_DB_OFFSET / PAGE_SIZE)
		return VM_FAULT_SIGBUS;
	page = qp->mmio + idx * PAGE_SIZE;
	if (echo_trap(qp, vmf, page))
		return VM_FAULT_NOPAGE;	/* emulated: the user resumes after it */
	/* not a form we decode: map the page; the thread polls the word */
	pr_info_once(ECHO_NAME ": doorbell access not decoded, queue %u polls\n",
		     qp->id);
	return vmf_insert_pfn(vmf->vma, vmf->address,
			      page_to_pfn(virt_to_page(page)));
}

/* uacce ops->get_dus_vaddr: removal copies the stopped rings from here. */
static void *echo_get_dus_vaddr(struct uacce_queue *q)
{
	struct echo_qp *qp = q->priv;

	return qp->dus;
}

static int echo_mmap(struct uacce_queue *q, struct vm_area_struct *vma,
		     struct uacce_qfile_region *qfr)
{
	struct echo_qp *qp = q->priv;
	unsigned long size = vma->vm_end - vma->vm_start;
	void *mem;

	unsigned long db = ECHO_DB_OFFSET & PAGE_MASK;

	switch (qfr->type) {
	case UACCE_QFRT_MMIO:
		mem = qp->mmio;
		if (!trap_doorbell || size <= db)
			break;
		/* all but the doorbell page, whose accesses echo_fault() traps */
		echo_vma_set_flags(vma, VM_IO | VM_PFNMAP | VM_DONTEXPAND |
				   VM_DONTDUMP);
		if (db && remap_pfn_range(vma, vma->vm_start,
					  page_to_pfn(virt_to_page(mem)), db,
					  vma->vm_page_prot))
			return -EAGAIN;
		if (size <= db + PAGE_SIZE)
			return 0;
		return remap_pfn_range(vma, vma->vm_start + db + PAGE_SIZE,
				       page_to_pfn(virt_to_page(mem + db +
								PAGE_SIZE)),
				       size - db - PAGE_SIZE,
				       vma->vm_page_prot);
	case UACCE_QFRT_DUS:
		/* like the QM: exactly the whole region */
		if (size != qp->edev->dus_size)
			return -EINVAL;
		mem = qp->dus;
		break;
	default:
		return -EINVAL;
	}
	return remap_pfn_range(vma, vma->vm_start,
			       page_to_pfn(virt_to_page(mem)), size,
			       vma->vm_page_prot);
}

static long echo_ioctl(struct uacce_queue *q, unsigned int cmd,
		       unsigned long arg)
{
	struct echo_qp *qp = q->priv;
	struct hisi_qp_info info = {};
	struct hisi_qp_ctx ctx;

	switch (cmd) {
	case UACCE_CMD_QM_SET_QP_CTX:
		if (copy_from_user(&ctx, (void __user *)arg, sizeof(ctx)))
			return -EFAULT;
		if (ctx.qc_type > ECHO_MAX_QC_TYPE)
			return -EINVAL;
		qp->qc_type = ctx.qc_type;
		ctx.id = qp->id;
		if (copy_to_user((void __user *)arg, &ctx, sizeof(ctx)))
			return -EFAULT;
		return 0;
	case UACCE_CMD_QM_SET_QP_INFO:
		info.sqe_size = ECHO_SQE_SIZE;
		info.sq_depth = depth;
		info.cq_depth = depth;
		if (copy_to_user((void __user *)arg, &info, sizeof(info)))
			return -EFAULT;
		return 0;
	default:
		return -EINVAL;
	}
}

static enum uacce_dev_state echo_get_isolate_state(struct uacce_device *uacce)
{
	return UACCE_DEV_NORMAL;
}

static int echo_isolate_threshold_write(struct uacce_device *uacce, u32 num)
{
	struct echo_dev *edev = uacce->priv;

	mutex_lock(&edev->lock);
	edev->err_threshold = num;
	mutex_unlock(&edev->lock);
	return 0;
}

static u32 echo_isolate_threshold_read(struct uacce_device *uacce)
{
	struct echo_dev *edev = uacce->priv;

	return READ_ONCE(edev->err_threshold);
}

static const struct uacce_ops echo_uacce_ops = {
	.get_available_instances = echo_get_available_instances,
	.get_queue = echo_get_queue,
	.put_queue = echo_put_queue,
	.start_queue = echo_start_queue,
	.stop_queue = echo_stop_queue,
	.is_q_updated = echo_is_q_updated,
	.mmap = echo_mmap,
	.fault = echo_fault,
	.get_dus_vaddr = echo_get_dus_vaddr,
	.ioctl = echo_ioctl,
	.get_isolate_state = echo_get_isolate_state,
	.isolate_err_threshold_write = echo_isolate_threshold_write,
	.isolate_err_threshold_read = echo_isolate_threshold_read,
};

static void echo_free_qps(struct echo_dev *edev)
{
	unsigned int i;

	for (i = 0; i < max_queues; i++) {
		if (edev->qps[i].mmio)
			free_pages_exact(edev->qps[i].mmio,
					 ECHO_MMIO_PAGES * PAGE_SIZE);
		if (edev->qps[i].dus)
			free_pages_exact(edev->qps[i].dus, edev->dus_size);
	}
}

static int __init echo_init(void)
{
	struct uacce_interface iface = {
		.name = ECHO_NAME,
		.flags = 0,
		.ops = &echo_uacce_ops,
	};
	struct echo_dev *edev;
	struct echo_qp *qp;
	unsigned int i;
	int ret;

	if (!max_queues || max_queues > 64 || depth < 2 || depth > 1024)
		return -EINVAL;

	edev = kzalloc(struct_size(edev, qps, max_queues), GFP_KERNEL);
	if (!edev)
		return -ENOMEM;
	mutex_init(&edev->lock);
	init_waitqueue_head(&edev->thread_wait);
	edev->dus_size = PAGE_ALIGN(ECHO_SQE_SIZE * depth +
				    ECHO_CQE_SIZE * depth) + PAGE_SIZE;

	ret = -ENOMEM;
	for (i = 0; i < max_queues; i++) {
		qp = &edev->qps[i];
		qp->edev = edev;
		qp->id = i;
		qp->mmio = alloc_pages_exact(ECHO_MMIO_PAGES * PAGE_SIZE,
					     GFP_KERNEL | __GFP_ZERO);
		qp->dus = alloc_pages_exact(edev->dus_size,
					    GFP_KERNEL | __GFP_ZERO);
		if (!qp->mmio || !qp->dus)
			goto err_free;
	}

	edev->pdev = platform_device_register_simple(ECHO_NAME,
						     PLATFORM_DEVID_NONE,
						     NULL, 0);
	if (IS_ERR(edev->pdev)) {
		ret = PTR_ERR(edev->pdev);
		goto err_free;
	}

	edev->uacce = uacce_alloc(&edev->pdev->dev, &iface);
	if (IS_ERR(edev->uacce)) {
		ret = PTR_ERR(edev->uacce);
		goto err_pdev;
	}
	edev->uacce->algs = "echo";
	edev->uacce->api_ver = HISI_QM_API_VER2_BASE;
	edev->uacce->qf_pg_num[UACCE_QFRT_MMIO] = ECHO_MMIO_PAGES;
	edev->uacce->qf_pg_num[UACCE_QFRT_DUS] = edev->dus_size >> PAGE_SHIFT;
	edev->uacce->priv = edev;

	edev->thread = kthread_run(echo_thread, edev, ECHO_NAME);
	if (IS_ERR(edev->thread)) {
		ret = PTR_ERR(edev->thread);
		goto err_uacce;
	}

	ret = uacce_register(edev->uacce);
	if (ret)
		goto err_thread;

	echo_dev = edev;
	return 0;

err_thread:
	kthread_stop(edev->thread);
err_uacce:
	uacce_remove(edev->uacce);
err_pdev:
	platform_device_unregister(edev->pdev);
err_free:
	echo_free_qps(edev);
	mutex_destroy(&edev->lock);
	kfree(edev);
	return ret;
}

static void __exit echo_exit(void)
{
	struct echo_dev *edev = echo_dev;

	/* queues become zombies, their mappings are zapped */
	uacce_remove(edev->uacce);
	kthread_stop(edev->thread);
	platform_device_unregister(edev->pdev);
	echo_free_qps(edev);
	mutex_destroy(&edev->lock);
	kfree(edev);
}

module_init(echo_init);
module_exit(echo_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("uacce test device: a QM-like queue that echoes requests");

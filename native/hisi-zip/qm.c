// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hisi_zip (soft engine): the queue manager.  Each uacce queue gets one
 * queue pair with the QM user layout (spec section 3):
 *
 *   MMIO (2 pages with 4 KiB pages)  the doorbell, one 64-bit word at
 *                   0x1000, v2 format: qn | cmd << 12 | index << 32 |
 *                   priority << 48
 *   DUS             SQ (depth x 128-byte SQEs), CQ (depth x 16-byte CQEs)
 *                   right after it, RX/TX stop words in the last 8 bytes
 *
 * The wake path (trap_doorbell=1, the default on x86-64): the doorbell
 * page is left unmapped, so the user's doorbell store faults into
 * hzip_fault(), which decodes the storing instruction (the decoder the
 * uacce_echo test device uses), latches an SQ doorbell's tail, queues the
 * queue's work item and steps the user past the store, as a hypervisor
 * emulates MMIO.  No system call, every doorbell seen in order (a CQ
 * doorbell right after an SQ one cannot hide it), and no CPU at all while
 * idle: nothing polls.  The work item (on an unbound workqueue, so queues
 * run in parallel) executes the SQEs from its head to the latched tail,
 * writes the results into each SQE slot, a CQE with the phase bit, and
 * wakes poll().
 *
 * Polled fallback (trap_doorbell=0, other architectures, or a store the
 * decoder does not know, which maps the page): the word is read and reset
 * by a delayed work every jiffy while the queue was busy in the last
 * second, every 10 jiffies after that, and by poll() itself (a waiter is
 * about to sleep: look at once).  Two stores between two reads lose the
 * first; SQ doorbells carry the absolute tail, so the next one recovers.
 */

#include <linux/jiffies.h>
#include <linux/platform_device.h>
#include <linux/mm.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/version.h>
#include <uapi/misc/uacce/hisi_qm.h>

#include "hisi_zip.h"
#include "../uacce/tests/echo_x86.h"

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
#define hzip_vma_set_flags(vma, flags)	vm_flags_set(vma, flags)
#else
#define hzip_vma_set_flags(vma, flags)	((vma)->vm_flags |= (flags))
#endif

struct hzip_cqe {
	__le32 rsvd0;
	__le16 cmd_id;
	__le16 rsvd1;
	__le16 sq_head;
	__le16 sq_num;
	__le16 rsvd2;
	__le16 w7;
};

static struct hzip_cqe *hzip_cqe(struct hzip_qp *qp, unsigned int i)
{
	return qp->dus + HZIP_SQE_SIZE * hzip_depth + HZIP_CQE_SIZE * i;
}

static u64 *hzip_db_word(struct hzip_qp *qp)
{
	return qp->mmio + HZIP_DB_OFFSET;
}

/* An engine fault: count it; past isolate_strategy per hour, isolate. */
void hzip_count_engine_fault(struct hzip_dev *zdev)
{
	mutex_lock(&zdev->lock);
	if (time_after(jiffies, zdev->err_since + HZ * 3600)) {
		zdev->err_since = jiffies;
		zdev->err_count = 0;
	}
	zdev->err_count++;
	if (zdev->err_threshold && zdev->err_count > zdev->err_threshold &&
	    !zdev->isolated) {
		zdev->isolated = true;
		dev_warn(&zdev->pdev->dev,
			 "%u engine faults within the hour: isolated\n",
			 zdev->err_count);
	}
	mutex_unlock(&zdev->lock);
}

static void hzip_complete(struct hzip_qp *qp, unsigned int slot)
{
	struct hzip_cqe *cqe = hzip_cqe(qp, qp->cq_tail);

	cqe->rsvd0 = 0;
	cqe->cmd_id = 0;
	cqe->rsvd1 = 0;
	cqe->sq_head = cpu_to_le16(slot);
	cqe->sq_num = cpu_to_le16(qp->id);
	cqe->rsvd2 = 0;
	/* results and CQE body before the phase bit that publishes them */
	smp_wmb();
	WRITE_ONCE(cqe->w7, cpu_to_le16(qp->cq_phase));
	if (++qp->cq_tail == hzip_depth) {
		qp->cq_tail = 0;
		qp->cq_phase ^= 1;
	}
	/* the CQE before the count that is_q_updated() reads */
	smp_wmb();
	WRITE_ONCE(qp->cq_written, qp->cq_written + 1);
}

/* The engine: runs what the doorbells announced. */
static void hzip_qp_work(struct work_struct *work)
{
	struct hzip_qp *qp = container_of(work, struct hzip_qp, work);
	bool started;
	u16 tail;

	for (;;) {
		spin_lock(&qp->lock);
		started = qp->started;
		tail = qp->sq_tail;
		spin_unlock(&qp->lock);
		if (!started || qp->sq_head == tail)
			break;
		if (!hzip_exec(qp, qp->dus + HZIP_SQE_SIZE * qp->sq_head))
			break;	/* stopped meanwhile */
		hzip_complete(qp, qp->sq_head);
		qp->sq_head = (qp->sq_head + 1) % hzip_depth;
		WRITE_ONCE(qp->last_work, jiffies);
		uacce_wake_up(qp->q);
		cond_resched();
	}
}

/* A doorbell store of @val.  Caller holds qp->lock. */
static void hzip_doorbell(struct hzip_qp *qp, u64 val)
{
	u16 idx = (val >> 32) & 0xffff;

	lockdep_assert_held(&qp->lock);
	/* another qn is not ours to ring: one MMIO page per queue */
	if ((val & 0xfff) != qp->id || idx >= hzip_depth || !qp->started)
		return;
	/* CQ doorbells (flow control, interrupt re-arm) need nothing here */
	if (((val >> 12) & 0xf) != HZIP_DB_CMD_SQ)
		return;
	qp->sq_tail = idx;
	queue_work(hzip_wq, &qp->work);
}

/* Polled mode: take a doorbell the word holds, if any. */
static void hzip_poll_word(struct hzip_qp *qp)
{
	u64 val = xchg(hzip_db_word(qp), HZIP_DB_IDLE);

	if (val == HZIP_DB_IDLE)
		return;
	spin_lock(&qp->lock);
	hzip_doorbell(qp, val);
	spin_unlock(&qp->lock);
}

static void hzip_poll_work(struct work_struct *work)
{
	struct hzip_qp *qp = container_of(to_delayed_work(work),
					  struct hzip_qp, poll_work);
	unsigned long delay;

	if (!READ_ONCE(qp->started))
		return;
	hzip_poll_word(qp);
	delay = time_before(jiffies, READ_ONCE(qp->last_work) + HZ) ? 1 : 10;
	queue_delayed_work(hzip_wq, &qp->poll_work, delay);
}

/* Caller holds qp->lock: from now on the word is polled. */
static void hzip_start_polling(struct hzip_qp *qp)
{
	lockdep_assert_held(&qp->lock);
	qp->polled = true;
	if (qp->started)
		queue_delayed_work(hzip_wq, &qp->poll_work, 0);
}

static int hzip_get_available_instances(struct uacce_device *uacce)
{
	struct hzip_dev *zdev = uacce->priv;
	unsigned int i;
	int n = 0;

	mutex_lock(&zdev->lock);
	for (i = 0; i < zdev->nr_qps; i++)
		n += !zdev->qps[i].in_use;
	mutex_unlock(&zdev->lock);
	return n;
}

static int hzip_get_queue(struct uacce_device *uacce, unsigned long arg,
			  struct uacce_queue *q)
{
	struct hzip_dev *zdev = uacce->priv;
	struct hzip_qp *qp = NULL;
	unsigned int i;

	mutex_lock(&zdev->lock);
	/* an isolated device takes no new queues (user drivers skip it too) */
	for (i = 0; i < zdev->nr_qps && !qp && !zdev->isolated; i++)
		if (!zdev->qps[i].in_use)
			qp = &zdev->qps[i];
	if (!qp) {
		mutex_unlock(&zdev->lock);
		return -EBUSY;
	}
	qp->in_use = true;
	mutex_unlock(&zdev->lock);

	qp->qc_type = 0;
	qp->started = false;
	qp->polled = !hzip_trap_doorbell;
	/* as the QM: a new QP's rings and stop words are zero */
	memset(qp->mmio, 0, HZIP_MMIO_PAGES * PAGE_SIZE);
	memset(qp->dus, 0, zdev->dus_size);
	qp->q = q;
	q->priv = qp;
	return 0;
}

static void hzip_put_queue(struct uacce_queue *q)
{
	struct hzip_qp *qp = q->priv;
	struct hzip_dev *zdev = qp->zdev;

	bool last = true;
	unsigned int i;

	/* stop_queue ran before (uacce core): the engine is idle */
	hzip_engine_free(qp);
	mutex_lock(&zdev->lock);
	qp->q = NULL;
	q->priv = NULL;
	qp->in_use = false;
	for (i = 0; i < zdev->nr_qps; i++)
		if (zdev->qps[i].in_use && zdev->qps[i].q->mm == q->mm)
			last = false;
	/*
	 * The process's last queue here: its streams go, before its mm (which
	 * the queue kept from being freed and reused) can be another's.
	 */
	if (last)
		hzip_streams_free(zdev, q->mm);
	mutex_unlock(&zdev->lock);
}

static int hzip_start_queue(struct uacce_queue *q)
{
	struct hzip_qp *qp = q->priv;

	spin_lock(&qp->lock);
	qp->sq_head = 0;
	qp->sq_tail = 0;
	qp->cq_tail = 0;
	qp->cq_phase = 1;
	qp->cq_written = 0;
	qp->cq_polled = 0;
	qp->last_work = jiffies;
	memset(hzip_cqe(qp, 0), 0, HZIP_CQE_SIZE * hzip_depth);
	WRITE_ONCE(*hzip_db_word(qp), HZIP_DB_IDLE);
	qp->started = true;
	if (qp->polled)
		hzip_start_polling(qp);
	spin_unlock(&qp->lock);
	return 0;
}

/*
 * Stop: requests not yet begun are dropped, the one running gives up at its
 * next chunk (without a CQE).  Then nothing of ours touches the queue.
 */
static void hzip_stop_queue(struct uacce_queue *q)
{
	struct hzip_qp *qp = q->priv;

	spin_lock(&qp->lock);
	qp->started = false;
	spin_unlock(&qp->lock);
	cancel_delayed_work_sync(&qp->poll_work);
	cancel_work_sync(&qp->work);
}

static int hzip_is_q_updated(struct uacce_queue *q)
{
	struct hzip_qp *qp = q->priv;
	u64 written;

	/* a waiter is about to sleep: a polled word is worth a look now */
	if (READ_ONCE(qp->polled))
		hzip_poll_word(qp);
	written = READ_ONCE(qp->cq_written);
	if (written == qp->cq_polled)
		return 0;
	qp->cq_polled = written;
	return 1;
}

#ifdef CONFIG_X86_64
/*
 * Emulate the user's access to the unmapped doorbell page.  Caller holds
 * q->mutex and mmap_lock for reading.  False when it cannot: the caller
 * maps the page instead.
 */
static bool hzip_trap(struct hzip_qp *qp, struct vm_fault *vmf, void *page)
{
	struct pt_regs *regs = task_pt_regs(current);
	unsigned long off = vmf->real_address & ~PAGE_MASK;
	struct echo_access a;

	if (!(vmf->flags & FAULT_FLAG_USER) || !echo_decode(regs, &a) ||
	    a.addr != vmf->real_address || off + a.size > PAGE_SIZE ||
	    !!(vmf->flags & FAULT_FLAG_WRITE) != a.store)
		return false;

	spin_lock(&qp->lock);
	if (!a.store)
		*a.reg = a.size == 8 ? READ_ONCE(*(u64 *)(page + off)) :
				       READ_ONCE(*(u32 *)(page + off));
	else if (off == HZIP_DB_OFFSET % PAGE_SIZE && a.size == 8)
		hzip_doorbell(qp, a.val);
	else if (a.size == 8)
		WRITE_ONCE(*(u64 *)(page + off), a.val);
	else
		WRITE_ONCE(*(u32 *)(page + off), a.val);
	spin_unlock(&qp->lock);
	regs->ip += a.len;
	return true;
}
#else
static bool hzip_trap(struct hzip_qp *qp, struct vm_fault *vmf, void *page)
{
	return false;
}
#endif

/* uacce ops->fault: only the doorbell page is left unmapped. */
static vm_fault_t hzip_fault(struct uacce_queue *q,
			     struct uacce_qfile_region *qfr,
			     struct vm_fault *vmf, unsigned long idx)
{
	struct hzip_qp *qp = q->priv;
	void *page;

	if (qfr->type != UACCE_QFRT_MMIO || idx != HZIP_DB_OFFSET / PAGE_SIZE)
		return VM_FAULT_SIGBUS;
	page = qp->mmio + idx * PAGE_SIZE;
	if (hzip_trap(qp, vmf, page))
		return VM_FAULT_NOPAGE;	/* emulated: the user resumes after it */
	pr_info_once(HZIP_NAME ": doorbell access not decoded, queue %u polls\n",
		     qp->id);
	spin_lock(&qp->lock);
	if (!qp->polled)
		hzip_start_polling(qp);
	spin_unlock(&qp->lock);
	return vmf_insert_pfn(vmf->vma, vmf->address,
			      page_to_pfn(virt_to_page(page)));
}

/* uacce ops->get_dus_vaddr: removal copies the stopped rings from here. */
static void *hzip_get_dus_vaddr(struct uacce_queue *q)
{
	struct hzip_qp *qp = q->priv;

	return qp->dus;
}

static int hzip_mmap(struct uacce_queue *q, struct vm_area_struct *vma,
		     struct uacce_qfile_region *qfr)
{
	struct hzip_qp *qp = q->priv;
	unsigned long size = vma->vm_end - vma->vm_start;
	unsigned long db = HZIP_DB_OFFSET & PAGE_MASK;
	void *mem = qp->mmio;

	switch (qfr->type) {
	case UACCE_QFRT_MMIO:
		if (qp->polled || size <= db)
			break;
		/* all but the doorbell page, whose accesses hzip_fault() traps */
		hzip_vma_set_flags(vma, VM_IO | VM_PFNMAP | VM_DONTEXPAND |
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
		if (size != qp->zdev->dus_size)
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

static long hzip_ioctl(struct uacce_queue *q, unsigned int cmd,
		       unsigned long arg)
{
	struct hzip_qp *qp = q->priv;
	struct hisi_qp_info info = {};
	struct hisi_qp_ctx ctx;

	switch (cmd) {
	case UACCE_CMD_QM_SET_QP_CTX:
		if (copy_from_user(&ctx, (void __user *)arg, sizeof(ctx)))
			return -EFAULT;
		if (ctx.qc_type > HZIP_MAX_QC_TYPE)
			return -EINVAL;
		/* the QM takes it at start; the engine reads it per request */
		qp->qc_type = ctx.qc_type;
		ctx.id = qp->id;
		if (copy_to_user((void __user *)arg, &ctx, sizeof(ctx)))
			return -EFAULT;
		return 0;
	case UACCE_CMD_QM_SET_QP_INFO:
		info.sqe_size = HZIP_SQE_SIZE;
		info.sq_depth = hzip_depth;
		info.cq_depth = hzip_depth;
		if (copy_to_user((void __user *)arg, &info, sizeof(info)))
			return -EFAULT;
		return 0;
	default:
		return -EINVAL;
	}
}

static enum uacce_dev_state hzip_get_isolate_state(struct uacce_device *uacce)
{
	struct hzip_dev *zdev = uacce->priv;

	return READ_ONCE(zdev->isolated) ? UACCE_DEV_ISOLATE : UACCE_DEV_NORMAL;
}

static int hzip_isolate_threshold_write(struct uacce_device *uacce, u32 num)
{
	struct hzip_dev *zdev = uacce->priv;
	int ret = 0;

	if (num > UACCE_MAX_ERR_THRESHOLD)
		return -EINVAL;
	mutex_lock(&zdev->lock);
	if (zdev->isolated) {
		ret = -EPERM;	/* as the QM: an isolated device stays so */
	} else {
		zdev->err_threshold = num;
		zdev->err_count = 0;	/* a new value clears the log */
		zdev->err_since = jiffies;
	}
	mutex_unlock(&zdev->lock);
	return ret;
}

static u32 hzip_isolate_threshold_read(struct uacce_device *uacce)
{
	struct hzip_dev *zdev = uacce->priv;

	return READ_ONCE(zdev->err_threshold);
}

const struct uacce_ops hzip_uacce_ops = {
	.get_available_instances = hzip_get_available_instances,
	.get_queue = hzip_get_queue,
	.put_queue = hzip_put_queue,
	.start_queue = hzip_start_queue,
	.stop_queue = hzip_stop_queue,
	.is_q_updated = hzip_is_q_updated,
	.mmap = hzip_mmap,
	.fault = hzip_fault,
	.get_dus_vaddr = hzip_get_dus_vaddr,
	.ioctl = hzip_ioctl,
	.get_isolate_state = hzip_get_isolate_state,
	.isolate_err_threshold_write = hzip_isolate_threshold_write,
	.isolate_err_threshold_read = hzip_isolate_threshold_read,
};

int hzip_qp_init(struct hzip_dev *zdev, struct hzip_qp *qp, u16 id)
{
	qp->zdev = zdev;
	qp->id = id;
	spin_lock_init(&qp->lock);
	INIT_WORK(&qp->work, hzip_qp_work);
	INIT_DELAYED_WORK(&qp->poll_work, hzip_poll_work);
	qp->mmio = alloc_pages_exact(HZIP_MMIO_PAGES * PAGE_SIZE,
				     GFP_KERNEL | __GFP_ZERO);
	qp->dus = alloc_pages_exact(zdev->dus_size, GFP_KERNEL | __GFP_ZERO);
	return qp->mmio && qp->dus ? 0 : -ENOMEM;
}

void hzip_qp_free(struct hzip_qp *qp)
{
	if (!qp->zdev)
		return;		/* never initialised */
	hzip_engine_free(qp);
	if (qp->mmio)
		free_pages_exact(qp->mmio, HZIP_MMIO_PAGES * PAGE_SIZE);
	if (qp->dus)
		free_pages_exact(qp->dus, qp->zdev->dus_size);
}

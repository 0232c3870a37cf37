// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wd_uacce - user space accelerator framework: the core (see
 * uacce_internal.h for the other files).
 *
 * A parent driver registers a device; every open() of /dev/<name>-<id> is
 * one hardware queue that user space drives directly through the regions
 * it maps: MMIO (the doorbell), DUS (the rings) and, for devices without
 * SVA, a static shared region (SS) for data buffers.
 *
 * Locking, outermost first:
 *
 *   uacce_device.mutex   the device's queue list, ops and parent pointers,
 *                        and every queue state change (open, START_Q,
 *                        PUT_Q, release, removal).  Driver ioctls run under
 *                        it; they may touch user memory, so it is never
 *                        taken with mmap_lock held.
 *   uacce_queue.mutex    the queue's region slots (qfrs), its zombie
 *                        pages and the writes of its state and ss pointer.
 *                        Taken by mmap, VMA open/close and fault (inside
 *                        mmap_lock) and by poll; never held while user
 *                        memory is touched.  The fault handler allocates
 *                        pages (GFP_KERNEL), takes the page table lock and
 *                        calls the parent's ->fault under it; while a
 *                        removal is under way it drops it to sleep on
 *                        q->wait (see uacce_vma_fault()).
 *   uacce_ss_lock        assignment of uacce_queue.ss and reading another
 *                        queue's ss (UACCE_CMD_SHARE_SVAS).
 *
 * Other orders in use: mmap_lock -> uacce_queue.mutex (mmap, fault), and
 * uacce_queue.mutex -> i_mmap_rwsem (unmap_mapping_range() on removal).
 * Nothing takes mmap_lock under uacce_queue.mutex.  uacce_xa has its own
 * internal lock and only hands out ids.
 *
 * Removal and the user mappings: the parent maps MMIO and DUS in its
 * ->mmap (e.g. remap_pfn_range()), so a live queue faults only on pages
 * the parent left unmapped on purpose, which its ->fault handles (under
 * q->mutex, like ->mmap).
 * uacce_remove() zaps every mapping of the queue, stops it, copies its DUS
 * and makes it ZOMBIE within one q->mutex section; a later access faults into
 * uacce_vma_fault(), which (under q->mutex, so it sees ZOMBIE) maps
 * per-queue stand-in pages instead of the device's memory: zeroed pages
 * for MMIO (doorbell stores land there and are ignored), and for DUS a
 * copy of the rings as the stopped device left them (zeroed pages when the
 * DUS is not RAM we can read, or memory is short), the last DUS page with
 * both stop words set (RX at size - 8, TX at size - 4).  So a user driver
 * that polls its rings sees "stopped" instead of dying of SIGBUS, and no
 * CQE changes phase under it (a zeroed CQ would look complete to a driver
 * expecting phase 0).  The stand-ins are per queue (never shared between
 * queues or processes: they are writable), made at removal (DUS copy) or
 * by the first fault on each page, and freed when the region's last VMA
 * closes, or at release.  The SS region is the queue's own memory and
 * lives until release, so its faults map its own pages again.
 *
 * Lifetime: the uacce_device is freed by its struct device release, after
 * uacce_remove() and after the last open queue is closed (each queue holds
 * a device reference).  A queue is freed in release(), which the VFS calls
 * only after all of its VMAs are gone (they hold the file).
 */

#include <linux/compat.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pfn_t.h>
#include <linux/poll.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/xarray.h>

#include "uacce_internal.h"

#define UACCE_MAX_MINORS	BIT(16)

static char *class_name = UACCE_NAME;
module_param(class_name, charp, 0444);
MODULE_PARM_DESC(class_name,
		 "Class (/sys/class/<name>) and char device region name; another than \"uacce\" when a kernel uacce is loaded");

static struct class *uacce_class;
static dev_t uacce_devt;
static DEFINE_XARRAY_ALLOC(uacce_xa);

void uacce_wake_up(struct uacce_queue *q)
{
	wake_up_interruptible(&q->wait);
}
EXPORT_SYMBOL_GPL(uacce_wake_up);

/* Caller holds uacce->mutex and q->mutex. */
static int uacce_start_queue(struct uacce_queue *q)
{
	const struct uacce_ops *ops = q->uacce->ops;
	int ret;

	lockdep_assert_held(&q->uacce->mutex);
	lockdep_assert_held(&q->mutex);
	if (q->state != UACCE_Q_INIT)
		return -EINVAL;
	if (ops->start_queue) {
		ret = ops->start_queue(q);
		if (ret)
			return ret;
	}
	q->state = UACCE_Q_STARTED;
	return 0;
}

/* PUT_Q: stop only; the hardware queue is released with the fd.  Caller holds q->mutex. */
static int uacce_stop_queue(struct uacce_queue *q)
{
	const struct uacce_ops *ops = q->uacce->ops;

	lockdep_assert_held(&q->mutex);
	if (q->state == UACCE_Q_STARTED && ops->stop_queue)
		ops->stop_queue(q);
	q->state = UACCE_Q_INIT;
	return 0;
}

/* Release the hardware queue.  Caller holds uacce->mutex and q->mutex. */
static void uacce_put_queue(struct uacce_queue *q)
{
	const struct uacce_ops *ops = q->uacce->ops;

	lockdep_assert_held(&q->uacce->mutex);
	lockdep_assert_held(&q->mutex);
	if (!uacce_queue_is_valid(q))
		return;
	if (q->state == UACCE_Q_STARTED && ops->stop_queue)
		ops->stop_queue(q);
	if (ops->put_queue)
		ops->put_queue(q);
	q->state = UACCE_Q_ZOMBIE;
}

static long uacce_fops_unl_ioctl(struct file *filep, unsigned int cmd,
				 unsigned long arg)
{
	struct uacce_queue *q = filep->private_data;
	struct uacce_device *uacce = q->uacce;
	long ret;

	mutex_lock(&uacce->mutex);
	if (!uacce_queue_is_valid(q)) {
		ret = -ENXIO;
		goto out;
	}
	if (q->mm != current->mm) {
		/* e.g. a forked child: the queue belongs to the opener */
		ret = -EPERM;
		goto out;
	}

	switch (cmd) {
	case UACCE_CMD_START_Q:
		mutex_lock(&q->mutex);
		ret = uacce_start_queue(q);
		mutex_unlock(&q->mutex);
		break;
	case UACCE_CMD_PUT_Q:
		mutex_lock(&q->mutex);
		ret = uacce_stop_queue(q);
		mutex_unlock(&q->mutex);
		break;
	case UACCE_CMD_GET_SS_DMA:
		ret = uacce_get_ss_dma(q, arg);
		break;
	case UACCE_CMD_SHARE_SVAS:
		ret = uacce_share_ss(q, (int)arg);
		break;
	default:
		/* runs without q->mutex: it may copy from and to user */
		ret = uacce->ops->ioctl ? uacce->ops->ioctl(q, cmd, arg) :
					  -EINVAL;
		break;
	}
out:
	mutex_unlock(&uacce->mutex);
	return ret;
}

#ifdef CONFIG_COMPAT
static long uacce_fops_compat_ioctl(struct file *filep, unsigned int cmd,
				    unsigned long arg)
{
	/* SHARE_SVAS passes an int by value, everything else a pointer */
	if (cmd != UACCE_CMD_SHARE_SVAS)
		arg = (unsigned long)compat_ptr(arg);
	return uacce_fops_unl_ioctl(filep, cmd, arg);
}
#endif

static int uacce_fops_open(struct inode *inode, struct file *filep)
{
	struct uacce_device *uacce;
	struct uacce_queue *q;
	int ret;

	/* a queue belongs to a process; kernel threads have no mm */
	if (!current->mm)
		return -EPERM;
	uacce = container_of(inode->i_cdev, struct uacce_device, cdev);
	q = kzalloc(sizeof(*q), GFP_KERNEL);
	if (!q)
		return -ENOMEM;
	mutex_init(&q->mutex);
	init_waitqueue_head(&q->wait);
	INIT_LIST_HEAD(&q->list);
	q->uacce = uacce;
	q->mapping = filep->f_mapping;
	q->mm = current->mm;

	mutex_lock(&uacce->mutex);
	if (!uacce->parent || !uacce->ops) {
		ret = -ENODEV;
		goto out_unlock;
	}
	mutex_lock(&q->mutex);
	ret = uacce->ops->get_queue(uacce, q->pasid, q);
	if (!ret)
		q->state = UACCE_Q_INIT;
	mutex_unlock(&q->mutex);
	if (ret)
		goto out_unlock;
	list_add(&q->list, &uacce->queues);
	mutex_unlock(&uacce->mutex);

	mmgrab(q->mm);
	get_device(&uacce->dev);
	filep->private_data = q;
	return 0;

out_unlock:
	mutex_unlock(&uacce->mutex);
	mutex_destroy(&q->mutex);
	kfree(q);
	return ret;
}

static int uacce_fops_release(struct inode *inode, struct file *filep)
{
	struct uacce_queue *q = filep->private_data;
	struct uacce_device *uacce = q->uacce;
	unsigned int type;

	mutex_lock(&uacce->mutex);
	mutex_lock(&q->mutex);
	uacce_put_queue(q);
	list_del(&q->list);
	mutex_unlock(&q->mutex);
	mutex_unlock(&uacce->mutex);

	/* no VMA is left (they hold the file), so no region is mapped */
	for (type = 0; type < UACCE_QFRT_SS; type++)
		uacce_free_zombie_pages(q, type);
	uacce_ss_put(q->ss);
	mmdrop(q->mm);
	mutex_destroy(&q->mutex);
	kfree(q);
	put_device(&uacce->dev);
	return 0;
}

static void uacce_vma_open(struct vm_area_struct *vma)
{
	struct uacce_qfile_region *qfr = vma->vm_private_data;
	struct uacce_queue *q = qfr->q;

	mutex_lock(&q->mutex);
	qfr->nr_vmas++;
	mutex_unlock(&q->mutex);
}

static void uacce_vma_close(struct vm_area_struct *vma)
{
	struct uacce_qfile_region *qfr = vma->vm_private_data;
	struct uacce_queue *q = qfr->q;

	mutex_lock(&q->mutex);
	if (--qfr->nr_vmas == 0) {
		/* the PTEs are gone: close runs after the VMA is unmapped */
		if (qfr->type != UACCE_QFRT_SS)
			uacce_free_zombie_pages(q, qfr->type);
		q->qfrs[qfr->type] = NULL;
		kfree(qfr);
	}
	mutex_unlock(&q->mutex);
}

static vm_fault_t uacce_vmf_insert(struct vm_fault *vmf, struct page *page)
{
	struct vm_area_struct *vma = vmf->vma;

	/* remap_pfn_range() (MMIO, DUS) or vm_insert_page() (SS) set these */
	if (vma->vm_flags & VM_PFNMAP)
		return vmf_insert_pfn(vma, vmf->address, page_to_pfn(page));
	if (vma->vm_flags & VM_MIXEDMAP)
		return vmf_insert_mixed(vma, vmf->address, page_to_pfn_t(page));
	return VM_FAULT_SIGBUS;
}

/*
 * A fault happens after uacce_remove() zapped the mappings, or on a page
 * the parent left unmapped at mmap (its ->fault handles that).  Runs with
 * mmap_lock held for reading; takes q->mutex, which removal holds from the
 * zap until the queue is ZOMBIE, so a fault in between waits and then maps
 * a stand-in.  The
 * zap covers the whole file mapping, i.e. the VMAs of every queue opened
 * through the same device node, so a queue removal has not reached yet
 * can fault too: that fault drops q->mutex, sleeps until the queue is
 * ZOMBIE (removal wakes q->wait; it takes no mmap_lock, so holding ours
 * read does not stall it) and has the access retried.  The pages stay
 * valid as long as they can be mapped: stand-ins until the last VMA of
 * their region closes, SS until release.
 */
static vm_fault_t uacce_vma_fault(struct vm_fault *vmf)
{
	struct uacce_qfile_region *qfr = vmf->vma->vm_private_data;
	struct uacce_queue *q = qfr->q;
	/* vm_pgoff is the region type plus the VMA's offset in the region */
	unsigned long idx = vmf->pgoff - qfr->type;
	vm_fault_t ret = VM_FAULT_SIGBUS;
	struct page *page = NULL;

	mutex_lock(&q->mutex);
	if (qfr->type == UACCE_QFRT_SS) {
		if (q->ss && idx < q->ss->size >> PAGE_SHIFT)
			page = vmalloc_to_page(q->ss->vaddr +
					       (idx << PAGE_SHIFT));
	} else if (q->state == UACCE_Q_ZOMBIE) {
		page = uacce_zombie_page(q, qfr->type, idx, &ret);
	} else if (READ_ONCE(q->uacce->removing)) {
		mutex_unlock(&q->mutex);
		/* a signal ends the wait early: the access just faults again */
		wait_event_interruptible(q->wait,
					 READ_ONCE(q->state) == UACCE_Q_ZOMBIE);
		return VM_FAULT_NOPAGE;
	} else if (q->uacce->ops->fault) {
		/* valid under q->mutex, so removal has not cleared ops */
		ret = q->uacce->ops->fault(q, qfr, vmf, idx);
	}
	if (page)
		ret = uacce_vmf_insert(vmf, page);
	mutex_unlock(&q->mutex);
	return ret;
}

static int uacce_vma_mremap(struct vm_area_struct *vma)
{
	return -EPERM;
}

static const struct vm_operations_struct uacce_vm_ops = {
	.open = uacce_vma_open,
	.close = uacce_vma_close,
	.fault = uacce_vma_fault,
	.mremap = uacce_vma_mremap,
};

static int uacce_fops_mmap(struct file *filep, struct vm_area_struct *vma)
{
	struct uacce_queue *q = filep->private_data;
	struct uacce_device *uacce = q->uacce;
	unsigned long size = vma->vm_end - vma->vm_start;
	struct uacce_qfile_region *qfr;
	enum uacce_qfrt type;
	unsigned long max;
	int ret;

	if (vma->vm_pgoff >= UACCE_MAX_REGION)
		return -EINVAL;
	type = vma->vm_pgoff;
	/* a private copy of a device region makes no sense */
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;

	qfr = kzalloc(sizeof(*qfr), GFP_KERNEL);
	if (!qfr)
		return -ENOMEM;
	qfr->type = type;
	qfr->q = q;
	qfr->nr_vmas = 1;

	mutex_lock(&q->mutex);
	if (!uacce_queue_is_valid(q)) {
		ret = -ENXIO;
		goto out;
	}
	if (q->mm != current->mm) {
		ret = -EPERM;
		goto out;
	}
	if (q->qfrs[type]) {
		ret = -EEXIST;
		goto out;
	}

	uacce_vma_set_flags(vma, VM_DONTCOPY | VM_DONTEXPAND | VM_WIPEONFORK);
	vma->vm_ops = &uacce_vm_ops;
	vma->vm_private_data = qfr;

	switch (type) {
	case UACCE_QFRT_MMIO:
	case UACCE_QFRT_DUS:
		max = uacce->qf_pg_num[type] << PAGE_SHIFT;
		ret = -EINVAL;
		if (!max || size > max || !uacce->ops->mmap)
			goto out;
		ret = uacce->ops->mmap(q, vma, qfr);
		break;
	default:
		ret = uacce_ss_mmap(q, vma, size);
		break;
	}
	if (ret)
		goto out;

	q->qfrs[type] = qfr;
	mutex_unlock(&q->mutex);
	return 0;

out:
	mutex_unlock(&q->mutex);
	kfree(qfr);
	return ret;
}

static __poll_t uacce_fops_poll(struct file *file, poll_table *wait)
{
	struct uacce_queue *q = file->private_data;
	const struct uacce_ops *ops;
	__poll_t ret = 0;

	poll_wait(file, &q->wait, wait);

	mutex_lock(&q->mutex);
	if (!uacce_queue_is_valid(q)) {
		/* removed: say so rather than leave the caller asleep */
		ret = EPOLLERR | EPOLLHUP;
	} else {
		/* valid under q->mutex, so removal has not cleared ops */
		ops = q->uacce->ops;
		if (ops->is_q_updated && ops->is_q_updated(q))
			ret = EPOLLIN | EPOLLRDNORM;
	}
	mutex_unlock(&q->mutex);
	return ret;
}

const struct file_operations uacce_fops = {
	.owner = THIS_MODULE,
	.open = uacce_fops_open,
	.release = uacce_fops_release,
	.unlocked_ioctl = uacce_fops_unl_ioctl,
#ifdef CONFIG_COMPAT
	.compat_ioctl = uacce_fops_compat_ioctl,
#endif
	.mmap = uacce_fops_mmap,
	.poll = uacce_fops_poll,
	.llseek = noop_llseek,
};

static void uacce_release(struct device *dev)
{
	struct uacce_device *uacce = to_uacce_device(dev);

	mutex_destroy(&uacce->mutex);
	kfree(uacce);
}

/**
 * uacce_alloc() - allocate a uacce device
 * @parent: the parent device, e.g. a PCI function
 * @interface: name, wanted flags and ops
 *
 * The caller fills in algs, api_ver, qf_pg_num and priv, then calls
 * uacce_register().  It must call uacce_remove() in every case afterwards,
 * also when uacce_register() failed.
 *
 * Return: the device, or an ERR_PTR().
 */
struct uacce_device *uacce_alloc(struct device *parent,
				 struct uacce_interface *interface)
{
	struct uacce_device *uacce;
	int ret;

	if (!parent || !interface || !interface->ops ||
	    !interface->ops->get_queue || !interface->name[0])
		return ERR_PTR(-EINVAL);

	uacce = kzalloc(sizeof(*uacce), GFP_KERNEL);
	if (!uacce)
		return ERR_PTR(-ENOMEM);

	/*
	 * no IOMMU SVA in this build: negotiate the flag away, as on failure,
	 * unless the parent serves SVA itself (UACCE_DEV_PARENT_SVA)
	 */
	uacce->flags = interface->flags & ~UACCE_DEV_PARENT_SVA;
	if (!(interface->flags & UACCE_DEV_PARENT_SVA))
		uacce->flags &= ~UACCE_DEV_SVA;
	uacce->ops = interface->ops;
	uacce->parent = parent;
	mutex_init(&uacce->mutex);
	INIT_LIST_HEAD(&uacce->queues);

	ret = xa_alloc(&uacce_xa, &uacce->dev_id, uacce,
		       XA_LIMIT(0, UACCE_MAX_MINORS - 1), GFP_KERNEL);
	if (ret < 0) {
		mutex_destroy(&uacce->mutex);
		kfree(uacce);
		return ERR_PTR(ret);
	}

	device_initialize(&uacce->dev);
	uacce->dev.devt = MKDEV(MAJOR(uacce_devt), uacce->dev_id);
	uacce->dev.class = uacce_class;
	uacce->dev.groups = uacce_dev_groups;
	uacce->dev.parent = parent;
	uacce->dev.release = uacce_release;
	ret = dev_set_name(&uacce->dev, "%.*s-%u", UACCE_MAX_NAME_SIZE,
			   interface->name, uacce->dev_id);
	if (ret) {
		xa_erase(&uacce_xa, uacce->dev_id);
		put_device(&uacce->dev);
		return ERR_PTR(ret);
	}

	cdev_init(&uacce->cdev, &uacce_fops);
	uacce->cdev.owner = THIS_MODULE;
	return uacce;
}
EXPORT_SYMBOL_GPL(uacce_alloc);

/**
 * uacce_register() - add the character device and its sysfs attributes
 * @uacce: from uacce_alloc()
 *
 * Return: 0 or a negative errno.
 */
int uacce_register(struct uacce_device *uacce)
{
	int ret;

	if (!uacce)
		return -ENODEV;
	ret = cdev_device_add(&uacce->cdev, &uacce->dev);
	if (!ret)
		uacce->registered = true;
	return ret;
}
EXPORT_SYMBOL_GPL(uacce_register);

/**
 * uacce_remove() - remove a device; open queues become zombies
 * @uacce: from uacce_alloc(), registered or not; NULL is ignored
 *
 * Every open queue is stopped and put, and its user mappings are zapped;
 * later accesses map stand-in pages (see uacce_vma_fault(): the DUS stop
 * words read 1, doorbell stores are absorbed, SS keeps its contents), and
 * later calls on the fd fail with -ENXIO.  No callback into the parent
 * driver happens after this returns.
 */
void uacce_remove(struct uacce_device *uacce)
{
	struct uacce_queue *q;

	if (!uacce)
		return;

	/* no new open(), and no sysfs reader is left that could use ops */
	if (uacce->registered)
		cdev_device_del(&uacce->cdev, &uacce->dev);

	mutex_lock(&uacce->mutex);
	/* before the first zap: see uacce_vma_fault() */
	WRITE_ONCE(uacce->removing, true);
	list_for_each_entry(q, &uacce->queues, list) {
		mutex_lock(&q->mutex);
		/*
		 * zap first: the parent may free the memory in put_queue.
		 * A fault from here on waits for q->mutex and then finds
		 * the queue ZOMBIE: it maps a stand-in, never the device.
		 */
		unmap_mapping_range(q->mapping, 0, 0, 1);
		/* stopped, the device no longer writes: copy its rings */
		if (q->state == UACCE_Q_STARTED)
			uacce_stop_queue(q);
		uacce_snapshot_dus(q);
		uacce_put_queue(q);
		mutex_unlock(&q->mutex);
		wake_up_interruptible_all(&q->wait);
	}
	uacce->ops = NULL;
	uacce->parent = NULL;
	mutex_unlock(&uacce->mutex);
	/*
	 * Only now may a new device get this id (and so this minor): a queue
	 * of it opened through a node inode shared with ours must not be
	 * zapped by the loop above.
	 */
	xa_erase(&uacce_xa, uacce->dev_id);

	put_device(&uacce->dev);
}
EXPORT_SYMBOL_GPL(uacce_remove);

static int __init uacce_init(void)
{
	int ret;

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
	uacce_class = class_create(class_name);
#else
	uacce_class = class_create(THIS_MODULE, class_name);
#endif
	if (IS_ERR(uacce_class))
		return PTR_ERR(uacce_class);

	ret = alloc_chrdev_region(&uacce_devt, 0, UACCE_MAX_MINORS,
				  class_name);
	if (ret)
		class_destroy(uacce_class);
	return ret;
}

static void __exit uacce_exit(void)
{
	unregister_chrdev_region(uacce_devt, UACCE_MAX_MINORS);
	class_destroy(uacce_class);
	xa_destroy(&uacce_xa);
}

subsys_initcall(uacce_init);
module_exit(uacce_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Accelerator interface for user space (WarpDrive uacce)");

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The static shared region (SS, mmap offset 2): for devices without SVA,
 * data buffers live in one zeroed vmalloc_user() region per queue (or lent
 * to the process's other queues by UACCE_CMD_SHARE_SVAS); the parent turns
 * a device address from an SQE into a kernel pointer with
 * uacce_ss_translate(), which checks the range.  uacce_ss_lock guards the
 * assignment of uacce_queue.ss and the reading of another queue's.
 */

#include <linux/file.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "uacce_internal.h"

static unsigned int ss_max_mb = 256;
module_param(ss_max_mb, uint, 0444);
MODULE_PARM_DESC(ss_max_mb, "Largest static shared region per queue, MiB");

static DEFINE_MUTEX(uacce_ss_lock);

static struct uacce_ss *uacce_ss_alloc(size_t size)
{
	struct uacce_ss *ss;

	ss = kzalloc(sizeof(*ss), GFP_KERNEL);
	if (!ss)
		return NULL;
	ss->vaddr = vmalloc_user(size);
	if (!ss->vaddr) {
		kfree(ss);
		return NULL;
	}
	kref_init(&ss->kref);
	ss->size = size;
	ss->dev_addr = UACCE_SS_DEV_ADDR;
	return ss;
}

static void uacce_ss_free(struct kref *kref)
{
	struct uacce_ss *ss = container_of(kref, struct uacce_ss, kref);

	vfree(ss->vaddr);
	kfree(ss);
}

void uacce_ss_put(struct uacce_ss *ss)
{
	if (ss)
		kref_put(&ss->kref, uacce_ss_free);
}

void *uacce_ss_translate(struct uacce_queue *q, u64 dev_addr, size_t len)
{
	/* pairs with smp_store_release() where q->ss is assigned */
	struct uacce_ss *ss = smp_load_acquire(&q->ss);
	u64 off;

	if (!ss || dev_addr < ss->dev_addr)
		return NULL;
	off = dev_addr - ss->dev_addr;
	if (off > ss->size || len > ss->size - off)
		return NULL;
	return ss->vaddr + off;
}
EXPORT_SYMBOL_GPL(uacce_ss_translate);

long uacce_get_ss_dma(struct uacce_queue *q, unsigned long arg)
{
	unsigned long addr;

	mutex_lock(&q->mutex);
	addr = q->ss ? q->ss->dev_addr : 0;
	mutex_unlock(&q->mutex);
	if (!addr)
		return -EINVAL;
	return put_user(addr, (unsigned long __user *)arg);
}

/* Caller holds q->uacce->mutex, not q->mutex. */
long uacce_share_ss(struct uacce_queue *q, int fd)
{
	struct uacce_queue *src;
	struct fd f;
	long ret;

	lockdep_assert_held(&q->uacce->mutex);
	lockdep_assert_not_held(&q->mutex);
	if (q->uacce->flags & UACCE_DEV_SVA)
		return -EINVAL;
	f = fdget(fd);
	if (!f.file)
		return -EBADF;
	ret = -EINVAL;
	if (f.file->f_op != &uacce_fops)
		goto out;
	src = f.file->private_data;
	if (src == q)
		goto out;
	ret = -EPERM;
	if (src->mm != q->mm)
		goto out;

	mutex_lock(&q->mutex);
	mutex_lock(&uacce_ss_lock);
	if (q->ss) {
		ret = -EEXIST;
	} else if (!src->ss) {
		ret = -EINVAL;
	} else {
		kref_get(&src->ss->kref);
		/* publish: pairs with smp_load_acquire() in translate */
		smp_store_release(&q->ss, src->ss);
		ret = 0;
	}
	mutex_unlock(&uacce_ss_lock);
	mutex_unlock(&q->mutex);
out:
	fdput(f);
	return ret;
}

/* Caller holds q->mutex. */
int uacce_ss_mmap(struct uacce_queue *q, struct vm_area_struct *vma,
		  unsigned long size)
{
	struct uacce_ss *ss;
	int ret;

	lockdep_assert_held(&q->mutex);
	if (q->uacce->flags & UACCE_DEV_SVA)
		return -EINVAL;

	mutex_lock(&uacce_ss_lock);
	ss = q->ss;
	if (!ss) {
		ret = -EINVAL;
		if (size > (unsigned long)ss_max_mb << 20)
			goto out;
		ret = -ENOMEM;
		ss = uacce_ss_alloc(size);
		if (!ss)
			goto out;
		/* publish: pairs with smp_load_acquire() in translate */
		smp_store_release(&q->ss, ss);
	} else if (size > ss->size) {
		ret = -EINVAL;
		goto out;
	}
	ret = remap_vmalloc_range(vma, ss->vaddr, 0);
out:
	mutex_unlock(&uacce_ss_lock);
	return ret;
}

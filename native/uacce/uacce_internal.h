/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the files of wd_uacce.ko share; not for parent drivers (they use
 * <linux/wd_uacce.h>).  The module by feature:
 *
 *   uacce_core.c    class, character device, open/ioctl/mmap/poll/release,
 *                   queue states, uacce_alloc/register/remove
 *   uacce_ss.c      the static shared region (no-SVA data buffers)
 *   uacce_zombie.c  removal: the stand-in pages a removed queue's mappings
 *                   fault in
 *   uacce_sysfs.c   the class device's attributes
 */
#ifndef _UACCE_INTERNAL_H
#define _UACCE_INTERNAL_H

#include <linux/fs.h>
#include <linux/kref.h>
#include <linux/lockdep.h>
#include <linux/mm.h>
#include <linux/version.h>
#include <linux/wd_uacce.h>

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
#define uacce_vma_set_flags(vma, flags)	vm_flags_set(vma, flags)
#else
#define uacce_vma_set_flags(vma, flags)	((vma)->vm_flags |= (flags))
#endif

/**
 * struct uacce_ss - static shared region, for devices without SVA
 * @kref: one reference per queue that uses it
 * @vaddr: vmalloc_user() memory, zeroed
 * @size: bytes, page aligned
 * @dev_addr: the device address of @vaddr
 */
struct uacce_ss {
	struct kref kref;
	void *vaddr;
	size_t size;
	u64 dev_addr;
};

#define to_uacce_device(d) container_of(d, struct uacce_device, dev)

extern const struct file_operations uacce_fops;
extern const struct attribute_group *uacce_dev_groups[];

/* Whether @q still has its hardware queue.  Caller holds q->mutex or q->uacce->mutex. */
static inline bool uacce_queue_is_valid(struct uacce_queue *q)
{
	lockdep_assert(lockdep_is_held(&q->mutex) ||
		       lockdep_is_held(&q->uacce->mutex));
	return q->state == UACCE_Q_INIT || q->state == UACCE_Q_STARTED;
}

/* uacce_ss.c */
void uacce_ss_put(struct uacce_ss *ss);
long uacce_get_ss_dma(struct uacce_queue *q, unsigned long arg);
long uacce_share_ss(struct uacce_queue *q, int fd);
int uacce_ss_mmap(struct uacce_queue *q, struct vm_area_struct *vma,
		  unsigned long size);

/* uacce_zombie.c */
void uacce_free_zombie_pages(struct uacce_queue *q, enum uacce_qfrt type);
void uacce_snapshot_dus(struct uacce_queue *q);
struct page *uacce_zombie_page(struct uacce_queue *q, enum uacce_qfrt type,
			       unsigned long idx, vm_fault_t *ret);

#endif /* _UACCE_INTERNAL_H */

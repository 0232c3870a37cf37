// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Removal with queues open: uacce_remove() zaps each queue's mappings,
 * stops it, copies its DUS (uacce_snapshot_dus()) and makes it ZOMBIE; a
 * later access faults in the per-queue stand-in pages made here instead of
 * the device's memory (see the top of uacce_core.c).
 */

#include <linux/mm.h>
#include <linux/slab.h>

#include "uacce_internal.h"

/* Free the stand-in pages of one region.  Caller holds q->mutex, or owns q. */
void uacce_free_zombie_pages(struct uacce_queue *q,
			     enum uacce_qfrt type)
{
	struct page **pages = q->zombie_pages[type];
	unsigned long i;

	if (!pages)
		return;
	for (i = 0; i < q->uacce->qf_pg_num[type]; i++)
		if (pages[i])
			__free_page(pages[i]);
	kvfree(pages);
	q->zombie_pages[type] = NULL;
}

static void uacce_set_stop_words(struct page *page)
{
	/* the region's last 8 bytes: RX stop at size - 8, TX stop at size - 4 */
	__le32 *stop = page_address(page) + PAGE_SIZE - 8;

	stop[0] = cpu_to_le32(1);
	stop[1] = cpu_to_le32(1);
}

/*
 * Copy the DUS of a stopped queue into its stand-in pages and set the stop
 * words, when user space maps the DUS and the parent says where the DUS is
 * (ops->get_dus_vaddr).  Caller holds q->uacce->mutex and q->mutex, has
 * zapped the user mappings (so user space cannot write meanwhile) and
 * stopped the device, and has not yet put the queue (the parent's memory is
 * still there).  On failure the stand-ins are made zeroed at fault time.
 */
void uacce_snapshot_dus(struct uacce_queue *q)
{
	const struct uacce_ops *ops = q->uacce->ops;
	unsigned long nr = q->uacce->qf_pg_num[UACCE_QFRT_DUS], i;
	struct page **pages;
	void *src;

	lockdep_assert_held(&q->uacce->mutex);
	lockdep_assert_held(&q->mutex);
	if (!nr || !q->qfrs[UACCE_QFRT_DUS] || q->zombie_pages[UACCE_QFRT_DUS] ||
	    !ops->get_dus_vaddr)
		return;
	src = ops->get_dus_vaddr(q);
	if (!src)
		return;
	pages = kvcalloc(nr, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return;
	for (i = 0; i < nr; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		if (!pages[i])
			goto fail;
		memcpy(page_address(pages[i]), src + (i << PAGE_SHIFT), PAGE_SIZE);
	}
	uacce_set_stop_words(pages[nr - 1]);
	q->zombie_pages[UACCE_QFRT_DUS] = pages;
	return;
fail:
	while (i--)
		__free_page(pages[i]);
	kvfree(pages);
}

/*
 * The page that stands in for page @idx of region @type (MMIO or DUS) of a
 * removed queue: the DUS copy made at removal, else allocated zeroed on
 * first use.  The DUS region's last page carries the stop words: both set
 * to 1, as the QM does when it stops a queue.  Caller holds q->mutex.
 * Returns the page, or NULL with *ret set.
 */
struct page *uacce_zombie_page(struct uacce_queue *q, enum uacce_qfrt type,
			       unsigned long idx, vm_fault_t *ret)
{
	unsigned long nr = q->uacce->qf_pg_num[type];
	struct page **pages = q->zombie_pages[type];
	struct page *page;

	lockdep_assert_held(&q->mutex);
	*ret = VM_FAULT_SIGBUS;
	if (idx >= nr)
		return NULL;
	*ret = VM_FAULT_OOM;
	if (!pages) {
		pages = kvcalloc(nr, sizeof(*pages), GFP_KERNEL_ACCOUNT);
		if (!pages)
			return NULL;
		q->zombie_pages[type] = pages;
	}
	page = pages[idx];
	if (!page) {
		page = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
		if (!page)
			return NULL;
		if (type == UACCE_QFRT_DUS && idx == nr - 1)
			uacce_set_stop_words(page);
		pages[idx] = page;
	}
	return page;
}

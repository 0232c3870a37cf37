// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hisi_zip (soft engine): reaching an SQE's buffers.
 *
 * No SVA: an address is an offset into the queue's static shared region
 * (UACCE_SS_DEV_ADDR + offset, as UACCE_CMD_GET_SS_DMA says);
 * uacce_ss_translate() checks that the whole range lies inside it.
 *
 * SVA: an address is a virtual address of the process that opened the
 * queue, and only that process's mm (uacce_queue.mm) is ever looked at, so
 * a queue cannot reach another process's memory.  The engine runs in a
 * work item, so it pins the pages with get_user_pages_remote() and copies
 * through kmap_local_page(), a few pages at a time.  Two rules keep it from
 * deadlocking against stop_queue(), which waits for it while holding the
 * uacce mutexes:
 *  - mmap_lock is only ever try-locked, in a loop that gives up as soon as
 *    the queue is stopped (a thread that munmap()s a queue region holds
 *    mmap_lock for writing and waits for the queue's mutex);
 *  - VM_IO, VM_PFNMAP and VM_MIXEDMAP areas are refused before GUP could
 *    fault them in: those are device regions (ours and uacce's among them,
 *    whose fault handlers take uacce_queue.mutex).
 * A buffer in memory the process cannot read (or, for output, write), or
 * not mapped at all, is an address fault in the CQE, never an oops.
 */

#include <linux/delay.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/uaccess.h>

#include "hisi_zip.h"

/* pages pinned at once: bounded stack use, short mmap_lock hold */
#define HZIP_GUP_BATCH	16

int hzip_mem_begin(struct hzip_mem *m, struct hzip_qp *qp)
{
	m->qp = qp;
	m->mm = NULL;
	if (!qp->zdev->sva)
		return 0;
	/* an exiting process has no users left: nothing to read or write */
	if (!mmget_not_zero(qp->q->mm))
		return -EFAULT;
	m->mm = qp->q->mm;
	return 0;
}

void hzip_mem_end(struct hzip_mem *m)
{
	/*
	 * async: if we held the last user, tearing the mm down here would close
	 * uacce VMAs, which takes uacce_queue.mutex (see the top of this file)
	 */
	if (m->mm)
		mmput_async(m->mm);
	m->mm = NULL;
}

/* Whether [addr, addr + len) can be an SVA or SS buffer at all. */
bool hzip_mem_range_ok(struct hzip_mem *m, u64 addr, u64 len)
{
	if (!len)
		return true;
	if (!m->mm)
		return uacce_ss_translate(m->qp->q, addr, len) != NULL;
	return addr < TASK_SIZE && len <= TASK_SIZE - addr;
}

static int hzip_mmap_trylock(struct hzip_mem *m)
{
	while (!mmap_read_trylock(m->mm)) {
		if (!READ_ONCE(m->qp->started))
			return -EINTR;
		usleep_range(20, 100);
	}
	return 0;
}

/* Caller holds mmap_lock.  Every page of the range mapped, accessible, plain memory. */
static bool hzip_vmas_ok(struct mm_struct *mm, unsigned long start,
			 unsigned long end, bool write)
{
	unsigned long want = write ? VM_WRITE : VM_READ;
	struct vm_area_struct *vma;

	while (start < end) {
		vma = vma_lookup(mm, start);
		if (!vma || !(vma->vm_flags & want) ||
		    (vma->vm_flags & (VM_IO | VM_PFNMAP | VM_MIXEDMAP)))
			return false;
		start = vma->vm_end;
	}
	return true;
}

static int hzip_sva_xfer(struct hzip_mem *m, u64 addr, void *buf, size_t len,
			 bool write)
{
	struct page *pages[HZIP_GUP_BATCH];
	unsigned long first, nr, off;
	size_t n;
	long got, i;
	int ret;

	while (len) {
		first = addr & PAGE_MASK;
		off = addr - first;
		nr = min_t(unsigned long, HZIP_GUP_BATCH,
			   DIV_ROUND_UP(off + len, PAGE_SIZE));
		ret = hzip_mmap_trylock(m);
		if (ret)
			return ret;
		if (!hzip_vmas_ok(m->mm, addr,
				  min_t(u64, first + nr * PAGE_SIZE, addr + len),
				  write)) {
			mmap_read_unlock(m->mm);
			return -EFAULT;
		}
		got = get_user_pages_remote(m->mm, first, nr,
					    write ? FOLL_WRITE : 0, pages,
					    NULL, NULL);
		mmap_read_unlock(m->mm);
		if (got <= 0)
			return -EFAULT;
		for (i = 0; i < got; i++) {
			void *kaddr = kmap_local_page(pages[i]);

			n = min_t(size_t, len, PAGE_SIZE - off);
			if (write)
				memcpy(kaddr + off, buf, n);
			else
				memcpy(buf, kaddr + off, n);
			kunmap_local(kaddr);
			if (write)
				set_page_dirty_lock(pages[i]);
			put_page(pages[i]);
			buf += n;
			addr += n;
			len -= n;
			off = 0;
		}
	}
	return 0;
}

static int hzip_mem_xfer(struct hzip_mem *m, u64 addr, void *buf, size_t len,
			 bool write)
{
	void *p;

	if (!len)
		return 0;
	if (!hzip_mem_range_ok(m, addr, len))
		return -EFAULT;
	if (m->mm)
		return hzip_sva_xfer(m, addr, buf, len, write);
	/* the region lives as long as the queue: valid while we run */
	p = uacce_ss_translate(m->qp->q, addr, len);
	if (!p)
		return -EFAULT;
	if (write)
		memcpy(p, buf, len);
	else
		memcpy(buf, p, len);
	return 0;
}

/* 0, -EFAULT (bad or unmapped buffer) or -EINTR (queue stopped meanwhile). */
int hzip_mem_read(struct hzip_mem *m, u64 addr, void *buf, size_t len)
{
	return hzip_mem_xfer(m, addr, buf, len, false);
}

int hzip_mem_write(struct hzip_mem *m, u64 addr, const void *buf, size_t len)
{
	return hzip_mem_xfer(m, addr, (void *)buf, len, true);
}

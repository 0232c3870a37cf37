/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * wd_uacce: user space accelerator framework, in-kernel API for parent
 * drivers.  Names and semantics follow mainline include/linux/uacce.h;
 * the static shared region (UACCE_QFRT_SS), uacce_ss_translate() and the
 * ops fault and get_dus_vaddr are extensions for devices without SVA.
 *
 * Beside a kernel's own uacce: this header has its own name, so it never
 * stands in for the kernel's <linux/uacce.h>, and the module (wd_uacce.ko)
 * exports its functions as wd_uacce_*; the defines below keep the mainline
 * names in parent drivers' source.  The class name is the class_name module
 * parameter ("uacce" by default, the user ABI; another name when a kernel
 * uacce already owns /sys/class/uacce).  Out-of-tree users still put
 * include/uapi before the kernel's include path (see native/uacce/Kbuild):
 * this build's uapi headers (misc/uacce/) carry the extension commands.
 */
#ifndef _LINUX_WD_UACCE_H
#define _LINUX_WD_UACCE_H

#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/list.h>
#include <linux/mm_types.h>
#include <linux/mutex.h>
#include <linux/wait.h>
#include <uapi/misc/uacce/uacce.h>

#define UACCE_NAME		"uacce"

/* The exported names (see the top of this file). */
#define uacce_alloc		wd_uacce_alloc
#define uacce_register		wd_uacce_register
#define uacce_remove		wd_uacce_remove
#define uacce_wake_up		wd_uacce_wake_up
#define uacce_ss_translate	wd_uacce_ss_translate
/* MMIO, DUS and (extension) SS; mainline has 2 */
#define UACCE_MAX_REGION	3
#define UACCE_MAX_NAME_SIZE	64
#define UACCE_MAX_ERR_THRESHOLD	65535

enum uacce_dev_state {
	UACCE_DEV_NORMAL,
	UACCE_DEV_ISOLATE,
};

enum uacce_q_state {
	UACCE_Q_ZOMBIE = 0,
	UACCE_Q_INIT,
	UACCE_Q_STARTED,
};

struct uacce_queue;
struct uacce_device;
struct uacce_ss;

/**
 * struct uacce_qfile_region - one mapped region of a queue file
 * @type: region type, enum uacce_qfrt
 * @q: the queue it belongs to
 * @nr_vmas: VMAs that map it (a split or moved VMA counts twice for a
 *	while); the slot frees when the last one closes.  Under q->mutex.
 */
struct uacce_qfile_region {
	enum uacce_qfrt type;
	struct uacce_queue *q;
	unsigned int nr_vmas;
};

/**
 * struct uacce_ops - operations a parent driver provides
 * @get_available_instances: number of queues that can still be opened
 * @get_queue: allocate a hardware queue for @q; @arg is the PASID (0 here)
 * @put_queue: free the hardware queue of @q
 * @start_queue: start the hardware queue
 * @stop_queue: stop the hardware queue; it may be started again
 * @is_q_updated: poll(): nonzero when new completions were seen
 * @mmap: map MMIO or DUS into @vma (core checked type and size already)
 * @fault: optional (extension): a fault on a page of MMIO or DUS that @mmap
 *	left unmapped, e.g. a doorbell page the parent traps; @idx is the page
 *	index in the region.  Only while the queue is INIT or STARTED (after
 *	removal the core maps stand-ins itself).  Returns like a
 *	vm_operations_struct.fault; without it such faults get SIGBUS.
 * @get_dus_vaddr: optional (extension): the kernel address of the queue's
 *	DUS (qf_pg_num[UACCE_QFRT_DUS] pages) while the queue exists.  On
 *	removal the core copies the stopped rings from it into the stand-in
 *	pages; without it the stand-ins start zeroed (but for the stop words).
 * @ioctl: every command the core does not handle itself
 * @get_isolate_state: sysfs "isolate": 0 usable, 1 isolated
 * @isolate_err_threshold_write: sysfs "isolate_strategy" store
 * @isolate_err_threshold_read: sysfs "isolate_strategy" show
 *
 * get_queue, put_queue, start_queue, stop_queue, get_dus_vaddr and ioctl
 * are called with uacce_device.mutex and uacce_queue.mutex held; mmap, fault and
 * is_q_updated with uacce_queue.mutex held (and the caller's mmap_lock for
 * mmap, for reading for fault).  None of them is called after
 * uacce_remove() has returned.
 */
struct uacce_ops {
	int (*get_available_instances)(struct uacce_device *uacce);
	int (*get_queue)(struct uacce_device *uacce, unsigned long arg,
			 struct uacce_queue *q);
	void (*put_queue)(struct uacce_queue *q);
	int (*start_queue)(struct uacce_queue *q);
	void (*stop_queue)(struct uacce_queue *q);
	int (*is_q_updated)(struct uacce_queue *q);
	int (*mmap)(struct uacce_queue *q, struct vm_area_struct *vma,
		    struct uacce_qfile_region *qfr);
	vm_fault_t (*fault)(struct uacce_queue *q,
			    struct uacce_qfile_region *qfr,
			    struct vm_fault *vmf, unsigned long idx);
	void *(*get_dus_vaddr)(struct uacce_queue *q);
	long (*ioctl)(struct uacce_queue *q, unsigned int cmd,
		      unsigned long arg);
	enum uacce_dev_state (*get_isolate_state)(struct uacce_device *uacce);
	int (*isolate_err_threshold_write)(struct uacce_device *uacce, u32 num);
	u32 (*isolate_err_threshold_read)(struct uacce_device *uacce);
};

/*
 * Interface flag (extension, never shown in sysfs "flags"): the parent
 * reaches the opener's memory itself, through uacce_queue.mm and without
 * an IOMMU (a software engine), so UACCE_DEV_SVA is kept when asked for.
 */
#define UACCE_DEV_PARENT_SVA	(1U << 31)

/**
 * struct uacce_interface - what uacce_alloc() is asked for
 * @name: device name prefix: the node is /dev/<name>-<id>
 * @flags: wanted UACCE_DEV_* flags; check uacce_device.flags afterwards:
 *	this build has no IOMMU SVA support and clears UACCE_DEV_SVA unless
 *	UACCE_DEV_PARENT_SVA is set too
 * @ops: operations, must stay valid until uacce_remove()
 */
struct uacce_interface {
	char name[UACCE_MAX_NAME_SIZE];
	unsigned int flags;
	const struct uacce_ops *ops;
};

/**
 * struct uacce_queue - one open() of a uacce device
 * @uacce: the device; stays allocated while the queue exists
 * @priv: parent driver's per-queue data
 * @wait: poll() waiters; woken by uacce_wake_up()
 * @list: entry in uacce_device.queues, under uacce_device.mutex
 * @qfrs: mapped regions, one slot per type, under @mutex
 * @mutex: protects @state, @qfrs and the assignment of @ss
 * @state: enum uacce_q_state; written with uacce_device.mutex and @mutex
 *	held, so either lock is enough to read it
 * @pasid: PASID handed to get_queue (always 0: no SVA in this build)
 * @mapping: address space of the opened file, zapped on device removal
 * @mm: the opener's mm; only that process may map and control the queue
 * @ss: static shared region (no-SVA), NULL until mapped or shared; never
 *	changes afterwards until the queue is freed
 * @zombie_pages: after removal, per region (MMIO, DUS) the pages that
 *	stand in for the device's: an array of qf_pg_num[type] page pointers,
 *	each allocated (zeroed) by the first fault on it; the last DUS page
 *	carries both stop words.  Under @mutex; freed when the region's last
 *	VMA closes or with the queue.
 */
struct uacce_queue {
	struct uacce_device *uacce;
	void *priv;
	wait_queue_head_t wait;
	struct list_head list;
	struct uacce_qfile_region *qfrs[UACCE_MAX_REGION];
	struct mutex mutex;	/* see @mutex above */
	enum uacce_q_state state;
	u32 pasid;
	struct address_space *mapping;
	struct mm_struct *mm;
	struct uacce_ss *ss;
	struct page **zombie_pages[UACCE_QFRT_SS];
};

/**
 * struct uacce_device - a registered accelerator
 * @algs: algorithms, newline separated (sysfs "algorithms")
 * @api_ver: user driver API, e.g. "hisi_qm_v2" (sysfs "api")
 * @ops: parent operations; NULL once removed (under @mutex)
 * @qf_pg_num: page count of MMIO and DUS (SS is sized by the user)
 * @parent: parent device; NULL once removed (under @mutex)
 * @is_vf: the parent is a virtual function
 * @flags: negotiated UACCE_DEV_* flags
 * @dev_id: global id, also the minor number
 * @cdev: the character device
 * @dev: the class device /sys/class/<class_name>/<name>-<id>
 * @registered: uacce_register() succeeded
 * @removing: uacce_remove() has begun zapping the queues' mappings; set
 *	under @mutex, read locklessly by the fault handler
 * @mutex: protects @queues, @ops, @parent and queue state changes
 * @priv: parent driver's data
 * @queues: open queues
 */
struct uacce_device {
	const char *algs;
	const char *api_ver;
	const struct uacce_ops *ops;
	unsigned long qf_pg_num[UACCE_MAX_REGION];
	struct device *parent;
	bool is_vf;
	u32 flags;
	u32 dev_id;
	struct cdev cdev;
	struct device dev;
	bool registered;
	bool removing;
	struct mutex mutex;	/* see @mutex above */
	void *priv;
	struct list_head queues;
};

struct uacce_device *uacce_alloc(struct device *parent,
				 struct uacce_interface *interface);
int uacce_register(struct uacce_device *uacce);
void uacce_remove(struct uacce_device *uacce);
void uacce_wake_up(struct uacce_queue *q);

/*
 * Device address at which a queue's static shared region starts; what
 * UACCE_CMD_GET_SS_DMA returns.  Nonzero so that 0 stays "no buffer".
 */
#define UACCE_SS_DEV_ADDR	0x100000000ULL

/*
 * uacce_ss_translate - kernel address of [@dev_addr, @dev_addr + @len) in
 * the static shared region of @q, or NULL when that range is not entirely
 * inside the region.  Safe from any context while @q is started: the
 * region lives until the queue is freed.
 */
void *uacce_ss_translate(struct uacce_queue *q, u64 dev_addr, size_t len);

#endif /* _LINUX_WD_UACCE_H */

/* SPDX-License-Identifier: GPL-2.0+ WITH Linux-syscall-note */
/*
 * uacce user API: the numbers and region indices are those of mainline
 * Linux, so a program written for mainline uacce runs unchanged on this
 * module.  Items marked "extension" do not exist in mainline.
 */
#ifndef _UAPI_MISC_UACCE_UACCE_H
#define _UAPI_MISC_UACCE_UACCE_H

#include <linux/types.h>
#include <linux/ioctl.h>

/*
 * UACCE_CMD_START_Q: start the queue.  Valid once, from the INIT state
 * (after open() or after PUT_Q); otherwise -EINVAL.
 */
#define UACCE_CMD_START_Q	_IO('W', 0)

/*
 * UACCE_CMD_PUT_Q: stop the queue.  The queue goes back to INIT and may be
 * started again; its hardware queue is released when the fd is closed.
 * (This is the behaviour of mainline after December 2025; older kernels
 * released the hardware queue here.  Users must cope with both.)
 */
#define UACCE_CMD_PUT_Q		_IO('W', 1)

/*
 * Extension (same number as the openEuler/uadk definition):
 * UACCE_CMD_GET_SS_DMA writes the device address of the start of the
 * queue's static shared region (UACCE_QFRT_SS) to the unsigned long that
 * the argument points to.  Buffers inside that region are handed to a
 * no-SVA device as "device address of the region + offset".  -EINVAL when
 * the queue has no static shared region yet.
 */
#define UACCE_CMD_GET_SS_DMA	_IOR('W', 3, unsigned long)

/*
 * Extension: UACCE_CMD_SHARE_SVAS takes (by value, like F_DUPFD) the fd of
 * another uacce queue opened by the same process.  The static shared region
 * of that source queue becomes the region of this queue, so mapping
 * UACCE_QFRT_SS on this queue shows the same bytes, and both devices accept
 * the same device addresses.  The source must already have a region (it was
 * mapped once); this queue must not have one.
 * Errors: -EBADF (not an fd), -EINVAL (not a uacce queue, source has no
 * region, SVA device), -EEXIST (this queue already has a region),
 * -EPERM (the source belongs to another process).
 */
#define UACCE_CMD_SHARE_SVAS	_IOW('W', 4, int)

/* Device flags (sysfs "flags"). */
#define UACCE_DEV_SVA		(1U << 0)	/* shared virtual addresses */

/*
 * Queue file regions: the mmap offset selects one, offset = type * page
 * size; the mapping must be MAP_SHARED.  Each region can be mapped once per
 * fd (-EEXIST otherwise; free again after munmap).  MMIO may be mapped with
 * any length up to region_mmio_size, DUS with exactly region_dus_size.
 * UACCE_QFRT_SS (no-SVA devices only) is created by its first mapping, with
 * that mapping's length (zeroed; at most the module's ss_max_mb); later
 * mappings, and those of queues it was shared with, may not be longer.
 * The mappings are not inherited by fork(); only the process that opened
 * the queue may map it or issue ioctls on it (-EPERM otherwise).
 *
 * After the device is removed every ioctl and mmap on the fd fails with
 * -ENXIO, existing mappings fault (SIGBUS), and poll() reports
 * POLLERR | POLLHUP (mainline reports 0, which leaves a waiter asleep).
 */
enum uacce_qfrt {
	UACCE_QFRT_MMIO = 0,	/* device MMIO: the doorbell */
	UACCE_QFRT_DUS = 1,	/* device user share: SQ, CQ, stop words */
	UACCE_QFRT_SS = 2,	/* extension: static shared region, no-SVA */
};

#endif /* _UAPI_MISC_UACCE_UACCE_H */

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hisi_zip (soft engine): module parameters and the soft devices.
 *
 * Each soft device is a platform device "hisi_zip.<n>" with one uacce
 * device named "hisi_zip" (nodes /dev/hisi_zip-<id>, /sys/class/uacce/
 * hisi_zip-<id>, ids global as in mainline), api hisi_qm_v3 (or v2),
 * algorithms as the ZIP's defaults for that revision, queues with the QM
 * layout (qm.c) whose "hardware" is the kernel's zlib (zip_soft.c).
 * Without uacce_mode=1 the module registers nothing, as mainline's hisi_zip
 * registers no uacce device then (it has no kernel crypto users here).
 */

#include <linux/mm.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <uapi/misc/uacce/hisi_qm.h>

#include "hisi_zip.h"

#define HZIP_MAX_DEVS	16

static unsigned int uacce_mode;
module_param(uacce_mode, uint, 0444);
MODULE_PARM_DESC(uacce_mode, "0 no uacce devices (default, as mainline), 1 register uacce devices");

static unsigned int nr_devs = 1;
module_param(nr_devs, uint, 0444);
MODULE_PARM_DESC(nr_devs, "Number of soft ZIP devices (1-16, default 1)");

static unsigned int pf_q_num = 16;
module_param(pf_q_num, uint, 0444);
MODULE_PARM_DESC(pf_q_num, "Queues per device (2-1024, default 16)");

unsigned int hzip_depth = 1024;
module_param_named(depth, hzip_depth, uint, 0444);
MODULE_PARM_DESC(depth, "SQ and CQ depth (4-4096, default 1024 as the QM's)");

unsigned int hzip_api = 3;
module_param_named(api_ver, hzip_api, uint, 0444);
MODULE_PARM_DESC(api_ver, "QM revision shown: 3 hisi_qm_v3 (default, zlib gzip deflate), 2 hisi_qm_v2 (zlib gzip)");

static bool sva = true;
module_param(sva, bool, 0444);
MODULE_PARM_DESC(sva, "SQE buffers are the opener's virtual addresses (default); 0: offsets in the queue's static shared region");

unsigned int hzip_max_streams = 16;
module_param_named(max_streams, hzip_max_streams, uint, 0444);
MODULE_PARM_DESC(max_streams, "Stream-mode streams kept per queue, pooled per device (1-256, default 16)");

unsigned int hzip_fault_every;
module_param_named(fault_every, hzip_fault_every, uint, 0644);
MODULE_PARM_DESC(fault_every, "Testing: every Nth request fails with an engine fault (0 off)");

bool hzip_trap_doorbell = IS_ENABLED(CONFIG_X86_64);
module_param_named(trap_doorbell, hzip_trap_doorbell, bool, 0444);
MODULE_PARM_DESC(trap_doorbell, "Trap and decode doorbell stores instead of polling the word (x86-64 only)");

struct workqueue_struct *hzip_wq;
static struct hzip_dev *hzip_devs[HZIP_MAX_DEVS];

static void hzip_dev_destroy(struct hzip_dev *zdev)
{
	unsigned int i;

	/* queues become zombies (stopped, put), mappings zapped */
	uacce_remove(zdev->uacce);
	if (zdev->pdev)
		platform_device_unregister(zdev->pdev);
	for (i = 0; i < zdev->nr_qps; i++)
		hzip_qp_free(&zdev->qps[i]);
	hzip_streams_free(zdev, NULL);
	mutex_destroy(&zdev->streams_lock);
	mutex_destroy(&zdev->lock);
	kfree(zdev);
}

static struct hzip_dev *hzip_dev_create(unsigned int n)
{
	struct uacce_interface iface = {
		.name = HZIP_NAME,
		.ops = &hzip_uacce_ops,
	};
	struct hzip_dev *zdev;
	unsigned int i;
	int ret;

	/* SVA without an IOMMU: the engine reaches the opener's mm itself */
	if (sva)
		iface.flags = UACCE_DEV_SVA | UACCE_DEV_PARENT_SVA;
	zdev = kzalloc(struct_size(zdev, qps, pf_q_num), GFP_KERNEL);
	if (!zdev)
		return ERR_PTR(-ENOMEM);
	mutex_init(&zdev->lock);
	mutex_init(&zdev->streams_lock);
	INIT_LIST_HEAD(&zdev->streams);
	zdev->nr_qps = pf_q_num;
	zdev->sva = sva;
	zdev->err_since = jiffies;
	zdev->dus_size = PAGE_ALIGN(HZIP_SQE_SIZE * hzip_depth +
				    HZIP_CQE_SIZE * hzip_depth) + PAGE_SIZE;
	for (i = 0; i < pf_q_num; i++) {
		ret = hzip_qp_init(zdev, &zdev->qps[i], i);
		if (ret)
			goto err;
	}

	zdev->pdev = platform_device_register_simple(HZIP_NAME, n, NULL, 0);
	if (IS_ERR(zdev->pdev)) {
		ret = PTR_ERR(zdev->pdev);
		zdev->pdev = NULL;
		goto err;
	}
	zdev->uacce = uacce_alloc(&zdev->pdev->dev, &iface);
	if (IS_ERR(zdev->uacce)) {
		ret = PTR_ERR(zdev->uacce);
		zdev->uacce = NULL;
		goto err;
	}
	if (sva && !(zdev->uacce->flags & UACCE_DEV_SVA)) {
		ret = -EOPNOTSUPP;	/* this uacce cannot keep SVA */
		goto err;
	}
	/* as the ZIP's default algorithm bitmaps for v2 (0xF) and v3 (0x3F) */
	zdev->uacce->algs = hzip_api >= 3 ? "zlib\ngzip\ndeflate" : "zlib\ngzip";
	zdev->uacce->api_ver = hzip_api >= 3 ? HISI_QM_API_VER3_BASE :
					       HISI_QM_API_VER2_BASE;
	zdev->uacce->qf_pg_num[UACCE_QFRT_MMIO] = HZIP_MMIO_PAGES;
	zdev->uacce->qf_pg_num[UACCE_QFRT_DUS] = zdev->dus_size >> PAGE_SHIFT;
	zdev->uacce->priv = zdev;
	ret = uacce_register(zdev->uacce);
	if (ret)
		goto err;
	return zdev;

err:
	hzip_dev_destroy(zdev);
	return ERR_PTR(ret);
}

static void hzip_destroy_all(void)
{
	unsigned int i;

	for (i = HZIP_MAX_DEVS; i-- > 0;) {
		if (hzip_devs[i])
			hzip_dev_destroy(hzip_devs[i]);
		hzip_devs[i] = NULL;
	}
}

static int __init hzip_init(void)
{
	unsigned int i;
	int ret;

	if (uacce_mode > 1 || !nr_devs || nr_devs > HZIP_MAX_DEVS ||
	    pf_q_num < 2 || pf_q_num > 1024 || hzip_depth < 4 ||
	    hzip_depth > 4096 || (hzip_api != 2 && hzip_api != 3) ||
	    !hzip_max_streams || hzip_max_streams > 256)
		return -EINVAL;
	if (!uacce_mode) {
		pr_info(HZIP_NAME ": uacce_mode=0: no devices registered\n");
		return 0;
	}
	/*
	 * unbound: queues run in parallel, on any CPU; high priority: the
	 * doorbell-to-start latency is the engine's, as a device's would be
	 */
	hzip_wq = alloc_workqueue(HZIP_NAME, WQ_UNBOUND | WQ_HIGHPRI, 0);
	if (!hzip_wq)
		return -ENOMEM;
	for (i = 0; i < nr_devs; i++) {
		hzip_devs[i] = hzip_dev_create(i);
		if (IS_ERR(hzip_devs[i])) {
			ret = PTR_ERR(hzip_devs[i]);
			hzip_devs[i] = NULL;
			hzip_destroy_all();
			destroy_workqueue(hzip_wq);
			return ret;
		}
	}
	return 0;
}

static void __exit hzip_exit(void)
{
	if (!hzip_wq)
		return;
	hzip_destroy_all();
	destroy_workqueue(hzip_wq);
}

module_init(hzip_init);
module_exit(hzip_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("HiSilicon ZIP queue manager ABI with a kernel software engine (zlib)");

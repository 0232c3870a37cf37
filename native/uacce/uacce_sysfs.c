// SPDX-License-Identifier: GPL-2.0-or-later
/* The class device's attributes: the user ABI mainline documents. */

#include <linux/device.h>
#include <linux/sysfs.h>

#include "uacce_internal.h"

/*
 * sysfs.  The attributes are removed (and readers drained) by
 * cdev_device_del() before uacce_remove() clears ops, so ops is valid here.
 */

static ssize_t api_show(struct device *dev, struct device_attribute *attr,
			char *buf)
{
	struct uacce_device *uacce = to_uacce_device(dev);

	return sysfs_emit(buf, "%s\n", uacce->api_ver ? uacce->api_ver : "");
}

static ssize_t flags_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct uacce_device *uacce = to_uacce_device(dev);

	return sysfs_emit(buf, "%u\n", uacce->flags);
}

static ssize_t available_instances_show(struct device *dev,
					struct device_attribute *attr,
					char *buf)
{
	struct uacce_device *uacce = to_uacce_device(dev);

	if (!uacce->ops->get_available_instances)
		return -ENODEV;
	return sysfs_emit(buf, "%d\n",
			  uacce->ops->get_available_instances(uacce));
}

static ssize_t algorithms_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	struct uacce_device *uacce = to_uacce_device(dev);

	return sysfs_emit(buf, "%s\n", uacce->algs ? uacce->algs : "");
}

static ssize_t region_mmio_size_show(struct device *dev,
				     struct device_attribute *attr, char *buf)
{
	struct uacce_device *uacce = to_uacce_device(dev);

	return sysfs_emit(buf, "%lu\n",
			  uacce->qf_pg_num[UACCE_QFRT_MMIO] << PAGE_SHIFT);
}

static ssize_t region_dus_size_show(struct device *dev,
				    struct device_attribute *attr, char *buf)
{
	struct uacce_device *uacce = to_uacce_device(dev);

	return sysfs_emit(buf, "%lu\n",
			  uacce->qf_pg_num[UACCE_QFRT_DUS] << PAGE_SHIFT);
}

static ssize_t isolate_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	struct uacce_device *uacce = to_uacce_device(dev);

	return sysfs_emit(buf, "%d\n", uacce->ops->get_isolate_state(uacce));
}

static ssize_t isolate_strategy_show(struct device *dev,
				     struct device_attribute *attr, char *buf)
{
	struct uacce_device *uacce = to_uacce_device(dev);

	if (!uacce->ops->isolate_err_threshold_read)
		return -ENOENT;
	return sysfs_emit(buf, "%u\n",
			  uacce->ops->isolate_err_threshold_read(uacce));
}

static ssize_t isolate_strategy_store(struct device *dev,
				      struct device_attribute *attr,
				      const char *buf, size_t count)
{
	struct uacce_device *uacce = to_uacce_device(dev);
	unsigned long val;
	int ret;

	if (!uacce->ops->isolate_err_threshold_write)
		return -ENOENT;
	if (kstrtoul(buf, 0, &val) < 0)
		return -EINVAL;
	if (val > UACCE_MAX_ERR_THRESHOLD)
		return -EINVAL;
	ret = uacce->ops->isolate_err_threshold_write(uacce, val);
	return ret ? ret : count;
}

static DEVICE_ATTR_RO(api);
static DEVICE_ATTR_RO(flags);
static DEVICE_ATTR_RO(available_instances);
static DEVICE_ATTR_RO(algorithms);
static DEVICE_ATTR_RO(region_mmio_size);
static DEVICE_ATTR_RO(region_dus_size);
static DEVICE_ATTR_RO(isolate);
static DEVICE_ATTR_RW(isolate_strategy);

static struct attribute *uacce_dev_attrs[] = {
	&dev_attr_api.attr,
	&dev_attr_flags.attr,
	&dev_attr_available_instances.attr,
	&dev_attr_algorithms.attr,
	&dev_attr_region_mmio_size.attr,
	&dev_attr_region_dus_size.attr,
	&dev_attr_isolate.attr,
	&dev_attr_isolate_strategy.attr,
	NULL,
};

static umode_t uacce_dev_is_visible(struct kobject *kobj,
				    struct attribute *attr, int n)
{
	struct uacce_device *uacce = to_uacce_device(kobj_to_dev(kobj));
	const struct uacce_ops *ops = uacce->ops;

	if (attr == &dev_attr_region_mmio_size.attr &&
	    !uacce->qf_pg_num[UACCE_QFRT_MMIO])
		return 0;
	if (attr == &dev_attr_region_dus_size.attr &&
	    !uacce->qf_pg_num[UACCE_QFRT_DUS])
		return 0;
	if (attr == &dev_attr_isolate.attr && !ops->get_isolate_state)
		return 0;
	if (attr == &dev_attr_isolate_strategy.attr &&
	    !ops->isolate_err_threshold_read &&
	    !ops->isolate_err_threshold_write)
		return 0;
	return attr->mode;
}

static const struct attribute_group uacce_dev_group = {
	.is_visible = uacce_dev_is_visible,
	.attrs = uacce_dev_attrs,
};

const struct attribute_group *uacce_dev_groups[] = {
	&uacce_dev_group,
	NULL,
};

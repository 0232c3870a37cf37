#!/bin/busybox sh
# /init of the kernel-tier initramfs (copied in by run.sh).  Reports on the
# serial console: "KTEST PASS <case>", "KTEST FAIL <case>: <why>",
# "KTEST INFO ...", "KLOG <dmesg line>", and "KTEST DONE" at the end.
# run.sh passes wdrepo (the repository path on the host) and, optionally,
# wdextra on the kernel command line; the kernel hands them to us as
# environment variables.
# shellcheck disable=SC2154

/bin/busybox mkdir -p /proc /sys /dev /tmp /host /bin /sbin
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
exec </dev/console >/dev/console 2>&1
mount -t tmpfs tmpfs /tmp
export PATH=/bin:/sbin

pass() { echo "KTEST PASS $1"; }
fail() { echo "KTEST FAIL $1: $2"; }

echo "KTEST INFO guest kernel $(uname -r), $(nproc) cpus"

# 9p: the host's root, read only, at /host
for m in virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev \
	 virtio_pci netfs fscache 9pnet 9pnet_virtio 9p overlay; do
	insmod /lib/modules/$m.ko || echo "KTEST INFO insmod $m failed"
done
if mount -t 9p -o trans=virtio,version=9p2000.L,ro hostroot /host &&
   [ -d "/host$wdrepo" ]; then
	pass host_root_9p
else
	fail host_root_9p "cannot mount the host root or see /host$wdrepo"
fi

if insmod /ktest/wd_uacce.ko && insmod /ktest/uacce_echo.ko; then
	pass modules_load
	/ktest/uacce_test
	/ktest/uacce_remove_test /ktest/uacce_echo.ko
else
	fail modules_load "insmod failed"
fi

# hisi_zip, the QM/ZIP soft device: its selftests with SVA (the default),
# removal with a queue open, then without SVA (offsets in the queue's static
# shared region).  Each run starts from a fresh load: the SVA run ends by
# isolating its device on purpose.
hzip_load() {
	insmod /ktest/hisi_zip.ko uacce_mode=1 "$@" ||
		{ fail hisi_zip_load "insmod hisi_zip $*"; return 1; }
}
if hzip_load; then
	/ktest/hisi_zip_test
	rmmod hisi_zip || fail hisi_zip_unload "rmmod hisi_zip"
fi
if hzip_load; then
	/ktest/hisi_zip_test remove
	grep -q '^hisi_zip ' /proc/modules && fail hisi_zip_rmmod_with_queue_open "still loaded"
fi
if hzip_load sva=0; then
	/ktest/hisi_zip_test
	rmmod hisi_zip || fail hisi_zip_unload "rmmod hisi_zip (no SVA)"
fi
if hzip_load api_ver=2 nr_devs=2; then
	n=$(ls /sys/class/uacce | grep -c '^hisi_zip-')
	api=$(cat /sys/class/uacce/hisi_zip-*/api | sort -u)
	algs=$(cat "$(ls -d /sys/class/uacce/hisi_zip-* | head -1)/algorithms" | tr '\n' ' ')
	if [ "$n" = 2 ] && [ "$api" = hisi_qm_v2 ] && [ "$algs" = "zlib gzip " ]; then
		pass hisi_zip_api_v2
	else
		fail hisi_zip_api_v2 "devices $n, api $api, algorithms $algs"
	fi
	rmmod hisi_zip || fail hisi_zip_unload "rmmod hisi_zip (v2)"
fi
# loaded for the extra script (the C# tests and the warpdrive CLI)
hzip_load

# Hook for later tiers (e.g. the C# kernel tests through /host/usr/bin/dotnet):
# run.sh passes wdextra=<host path of a script>; it runs with the modules
# loaded and the host root at /host, and may print KTEST PASS/FAIL lines.
#
# WD_ROOT (/hostrw) is the host root made writable by an overlay (changes
# stay in guest RAM; the host's /tmp stays visible, a checkout may live there),
# with /proc, /sys and /dev mounted, so
# host programs run with "chroot $WD_ROOT /usr/bin/dotnet ...".
# WD_REPO is the repository path inside WD_ROOT.
hostrw() {
	mkdir -p /tmp/ovl/up /tmp/ovl/work /hostrw &&
	mount -t overlay overlay \
		-o lowerdir=/host,upperdir=/tmp/ovl/up,workdir=/tmp/ovl/work \
		/hostrw &&
	mount -t proc proc /hostrw/proc &&
	mount -t sysfs sysfs /hostrw/sys &&
	mount -t devtmpfs devtmpfs /hostrw/dev
}
if [ -n "$wdextra" ]; then
	if ! hostrw; then
		fail guest_extra "cannot set up the writable host root"
	elif [ -f "/host$wdextra" ]; then
		echo "KTEST INFO running extra $wdextra"
		WD_HOST=/host WD_ROOT=/hostrw WD_REPO="$wdrepo" \
			sh "/host$wdextra"
		rc=$?
		if [ $rc -eq 0 ]; then
			pass guest_extra
		else
			fail guest_extra "exit $rc"
		fi
	else
		fail guest_extra "$wdextra not found"
	fi
fi

if { ! grep -q '^hisi_zip ' /proc/modules || rmmod hisi_zip; } &&
   rmmod uacce_echo && rmmod wd_uacce; then
	pass modules_unload
else
	fail modules_unload "rmmod failed"
fi

# Beside a kernel's own uacce (not in Debian's 6.1): another class name, and
# only wd_uacce_* symbols, where a kernel uacce owns /sys/class/uacce and
# exports uacce_*.
if insmod /ktest/wd_uacce.ko class_name=wd_uacce && insmod /ktest/uacce_echo.ko; then
	node=$(ls /sys/class/wd_uacce 2>/dev/null | grep -m1 '^uacce_echo-')
	if [ -z "$node" ] || [ ! -c "/dev/$node" ]; then
		fail beside_kernel_uacce "no uacce_echo device in /sys/class/wd_uacce"
	elif [ -e /sys/class/uacce ]; then
		fail beside_kernel_uacce "/sys/class/uacce exists with class_name=wd_uacce"
	elif ! grep -q ' wd_uacce_alloc' /proc/kallsyms || grep -qw 'uacce_alloc' /proc/kallsyms; then
		fail beside_kernel_uacce "exported names are not wd_uacce_* only"
	else
		pass beside_kernel_uacce
	fi
	rmmod uacce_echo && rmmod wd_uacce || fail beside_kernel_uacce "rmmod failed"
else
	fail beside_kernel_uacce "insmod with class_name=wd_uacce failed"
fi

dmesg >/tmp/dmesg
sed 's/^/KLOG /' /tmp/dmesg
bad=$(grep -E 'Oops|WARNING:|BUG:|KASAN|kmemleak|general protection|Call Trace|list_del corruption|refcount_t:|UBSAN|lockdep|possible circular|hung_task|soft lockup' /tmp/dmesg | head -3 | tr '\n' '|')
if [ -z "$bad" ]; then
	pass kernel_log_clean
else
	fail kernel_log_clean "$bad"
fi

echo "KTEST DONE"
sync
poweroff -f

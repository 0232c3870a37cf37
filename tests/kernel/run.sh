#!/usr/bin/env bash
# Kernel test tier.
#
# Builds native/ (uacce, the uacce_echo test device, hisi_zip) against Debian's
# kernel headers, boots the matching Debian kernel under qemu (TCG) with a
# busybox initramfs, loads the modules and runs the C selftests in the
# guest; the host root is shared read only over 9p at /host.
#
#   bash tests/kernel/run.sh
#
# Environment:
#   CI=true              a missing prerequisite is a failure, not a skip
#   WD_KVER=<abi>        kernel to use, e.g. 6.1.0-56-amd64 (default: the
#                        cached one, else the one linux-image-amd64 names)
#   WD_KERNEL_CACHE=dir  downloads and unpacked kernels
#                        (default /var/cache/warpdrive-kernel)
#   WD_KERNEL_GUEST_EXTRA=<host path of a script>  also run it in the guest
#                        (default: tests/kernel/guest-extra.sh if present)
#   WD_QEMU_TIMEOUT=600  seconds
#   WD_QEMU_KVM=1        use KVM instead of TCG
#
# The last line is "N passed, N failed"; the exit status is 0 only when
# nothing failed.

set -u -o pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
WORK="$HERE/.cache"
CACHE=${WD_KERNEL_CACHE:-/var/cache/warpdrive-kernel}
TIMEOUT=${WD_QEMU_TIMEOUT:-600}
# Modules from the linux-image package that go into the initramfs, in load
# order: 9p over virtio for the host root, overlay for a writable view of it.
GUEST_MODULES="virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci"
GUEST_MODULES="$GUEST_MODULES netfs fscache 9pnet 9pnet_virtio 9p overlay"

passed=0
failed=0
t_start=$(date +%s)

log() { echo "kernel: $*"; }
pass() { echo "KTEST PASS $1"; passed=$((passed + 1)); }
fail() { echo "KTEST FAIL $1: $2"; failed=$((failed + 1)); }

finish() {
	log "took $(($(date +%s) - t_start)) s"
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit $?
}

# A prerequisite is missing: a failure under CI, a skip otherwise.
unavailable() {
	if [ "${CI:-}" = "true" ]; then
		fail prerequisites "$1"
	else
		log "skipped: $1"
	fi
	finish
}

mkdir -p "$WORK"
# One run at a time per checkout (they share the build tree and $WORK).
exec 8>"$WORK/.run.lock"
flock 8
if ! mkdir -p "$CACHE" 2>/dev/null || [ ! -w "$CACHE" ]; then
	CACHE="$WORK/kernel"
	mkdir -p "$CACHE"
fi
exec 9>"$CACHE/.lock"
flock 9

apt_updated=
apt_install() {
	[ "$(id -u)" -eq 0 ] || return 1
	if [ -z "$apt_updated" ]; then
		apt-get update -qq >"$WORK/apt.log" 2>&1 || return 1
		apt_updated=1
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		"$@" >>"$WORK/apt.log" 2>&1
}

# --- tools -----------------------------------------------------------------
missing=()
command -v qemu-system-x86_64 >/dev/null || missing+=(qemu-system-x86)
command -v cpio >/dev/null || missing+=(cpio)
command -v gcc >/dev/null || missing+=(gcc)
command -v make >/dev/null || missing+=(make)
[ -f /usr/lib/x86_64-linux-gnu/libc.a ] || missing+=(libc6-dev)
[ -f /usr/lib/x86_64-linux-gnu/libz.a ] || missing+=(zlib1g-dev)
dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'ok installed' ||
	missing+=(busybox-static)
if [ ${#missing[@]} -gt 0 ]; then
	log "installing ${missing[*]}"
	apt_install "${missing[@]}" || unavailable "cannot install ${missing[*]} (see $WORK/apt.log)"
fi
BUSYBOX=$(command -v busybox || echo /bin/busybox)
[ -x "$BUSYBOX" ] || unavailable "no static busybox"

# --- which kernel ----------------------------------------------------------
KVER=${WD_KVER:-}
if [ -z "$KVER" ]; then
	# a kernel unpacked earlier whose headers are still installed
	# shellcheck disable=SC2012 # names are kernel versions
	for d in $(ls -d "$CACHE"/*/vmlinuz 2>/dev/null | sort -V -r); do
		v=$(basename "$(dirname "$d")")
		if [ -d "/usr/src/linux-headers-$v" ] &&
		   [ "$(cat "$CACHE/$v/.complete" 2>/dev/null)" = "$GUEST_MODULES" ]; then
			KVER=$v
			break
		fi
	done
fi
if [ -z "$KVER" ]; then
	[ -n "$apt_updated" ] || { apt-get update -qq >"$WORK/apt.log" 2>&1 && apt_updated=1; }
	KVER=$(apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/.*Depends: linux-image-\(.*-amd64\)$/\1/p' | head -1)
	[ -n "$KVER" ] || unavailable "cannot tell which Debian kernel to use (apt-cache depends linux-image-amd64)"
fi
log "kernel $KVER"
KDIR=/usr/src/linux-headers-$KVER
KCACHE=$CACHE/$KVER

if [ ! -d "$KDIR" ]; then
	log "installing linux-headers-$KVER"
	apt_install "linux-headers-$KVER" || unavailable "cannot install linux-headers-$KVER"
fi

if [ "$(cat "$KCACHE/.complete" 2>/dev/null)" != "$GUEST_MODULES" ]; then
	log "downloading linux-image-$KVER"
	rm -rf "$KCACHE"
	mkdir -p "$KCACHE/dl" "$KCACHE/modules"
	(cd "$KCACHE/dl" && apt-get download "linux-image-$KVER" >>"$WORK/apt.log" 2>&1) ||
		{ [ -n "$apt_updated" ] || apt-get update -qq >>"$WORK/apt.log" 2>&1; apt_updated=1;
		  (cd "$KCACHE/dl" && apt-get download "linux-image-$KVER" >>"$WORK/apt.log" 2>&1); } ||
		unavailable "cannot download linux-image-$KVER"
	dpkg-deb -x "$KCACHE"/dl/*.deb "$KCACHE/dl/x" ||
		unavailable "cannot unpack linux-image-$KVER"
	cp "$KCACHE/dl/x/boot/vmlinuz-$KVER" "$KCACHE/vmlinuz"
	for m in $GUEST_MODULES; do
		f=$(find "$KCACHE/dl/x/lib/modules" -name "$m.ko" -o -name "$m.ko.xz" \
			-o -name "$m.ko.zst" -o -name "$m.ko.gz" | head -1)
		[ -n "$f" ] || unavailable "linux-image-$KVER has no $m module"
		case "$f" in
		*.xz) xz -dc "$f" >"$KCACHE/modules/$m.ko" ;;
		*.zst) zstd -qdc "$f" >"$KCACHE/modules/$m.ko" ;;
		*.gz) gzip -dc "$f" >"$KCACHE/modules/$m.ko" ;;
		*) cp "$f" "$KCACHE/modules/$m.ko" ;;
		esac || unavailable "cannot decompress $f"
	done
	rm -rf "$KCACHE/dl"
	echo "$GUEST_MODULES" >"$KCACHE/.complete"
fi
flock -u 9

# --- build -----------------------------------------------------------------
if make -C "$REPO/native" KDIR="$KDIR" >"$WORK/build.log" 2>&1 &&
   [ -f "$REPO/native/uacce/wd_uacce.ko" ] && [ -f "$REPO/native/uacce/tests/uacce_echo.ko" ] &&
   [ -f "$REPO/native/hisi-zip/hisi_zip.ko" ]; then
	if grep -q 'warning:' "$WORK/build.log"; then
		fail modules_build "compiler warnings: $(grep -m1 'warning:' "$WORK/build.log")"
	else
		pass modules_build
	fi
else
	tail -n 30 "$WORK/build.log"
	fail modules_build "make -C native failed (log: $WORK/build.log)"
	finish
fi

mkdir -p "$WORK/bin"
st_ok=1
for src in "$HERE"/selftests/*.c; do
	name=$(basename "$src" .c)
	# hisi_zip_test checks the device's output with zlib (libz.a: zlib1g-dev)
	libs=
	[ "$name" = hisi_zip_test ] && libs=-lz
	# shellcheck disable=SC2086 # $libs is empty or one word
	if ! gcc -static -O2 -Wall -Wextra -Wno-unused-parameter -Wno-unused-function \
		-pthread -I"$REPO/native/uacce/include/uapi" -o "$WORK/bin/$name" "$src" $libs \
		>"$WORK/selftest-$name.log" 2>&1 || grep -q 'warning:' "$WORK/selftest-$name.log"; then
		cat "$WORK/selftest-$name.log"
		st_ok=
	fi
done
if [ -n "$st_ok" ]; then
	pass selftests_build
else
	fail selftests_build "gcc failed or warned"
	finish
fi

# --- initramfs -------------------------------------------------------------
ROOT="$WORK/initramfs"
rm -rf "$ROOT"
mkdir -p "$ROOT"/{bin,sbin,dev,proc,sys,tmp,host,lib/modules,ktest}
cp "$BUSYBOX" "$ROOT/bin/busybox"
cp "$HERE/guest-init.sh" "$ROOT/init"
chmod 755 "$ROOT/init"
cp "$KCACHE"/modules/*.ko "$ROOT/lib/modules/"
cp "$REPO/native/uacce/wd_uacce.ko" "$REPO/native/uacce/tests/uacce_echo.ko" \
	"$REPO/native/hisi-zip/hisi_zip.ko" "$ROOT/ktest/"
cp "$WORK"/bin/* "$ROOT/ktest/"
[ "$(id -u)" -eq 0 ] && mknod -m 600 "$ROOT/dev/console" c 5 1 2>/dev/null
(cd "$ROOT" && find . | cpio -o -H newc --quiet | gzip -1) >"$WORK/initrd.gz" ||
	{ fail initramfs "cpio failed"; finish; }

# --- boot ------------------------------------------------------------------
EXTRA=${WD_KERNEL_GUEST_EXTRA:-}
if [ -z "$EXTRA" ] && [ -f "$HERE/guest-extra.sh" ]; then
	EXTRA="$HERE/guest-extra.sh"
fi
APPEND="console=ttyS0 quiet panic=-1 wdrepo=$REPO"
[ -n "$EXTRA" ] && APPEND="$APPEND wdextra=$(readlink -f "$EXTRA")"
# TCG by default: /dev/kvm may exist where KVM does not work (nested).
ACCEL=(-accel tcg)
if [ "${WD_QEMU_KVM:-}" = "1" ]; then
	ACCEL=(-accel kvm -cpu host)
fi

log "booting (timeout ${TIMEOUT}s)"
timeout "$TIMEOUT" qemu-system-x86_64 "${ACCEL[@]}" -m 2048 -smp 2 -nographic -no-reboot -nic none \
	-kernel "$KCACHE/vmlinuz" -initrd "$WORK/initrd.gz" -append "$APPEND" \
	-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on \
	</dev/null >"$WORK/guest.raw" 2>&1
qrc=$?
tr -d '\r' <"$WORK/guest.raw" >"$WORK/guest.log"

grep -E '^KTEST (INFO|PASS|FAIL)' "$WORK/guest.log"
gp=$(grep -c '^KTEST PASS ' "$WORK/guest.log")
gf=$(grep -c '^KTEST FAIL ' "$WORK/guest.log")
passed=$((passed + gp))
failed=$((failed + gf))
if grep -q '^KTEST DONE' "$WORK/guest.log"; then
	pass guest_completed
else
	grep -v '^KLOG ' "$WORK/guest.log" | tail -n 40
	fail guest_completed "no KTEST DONE (qemu exit $qrc; log: $WORK/guest.log)"
fi
if [ "$gf" -gt 0 ] || ! grep -q '^KTEST DONE' "$WORK/guest.log"; then
	log "guest kernel log (tail):"
	grep '^KLOG ' "$WORK/guest.log" | tail -n 60
fi
finish

#!/bin/sh
# Runs in the qemu guest after the C selftests, with wd_uacce, uacce_echo and hisi_zip loaded: `warpdrive devices`, then the C# kernel tests
# (tests/WarpDrive.Kernel.Tests) through the host's dotnet, chrooted into the writable view of the host root.
# Each test becomes one KTEST line; the run fails if none ran.
dll="$WD_REPO/tests/WarpDrive.Kernel.Tests/bin/Release/net10.0/WarpDrive.Kernel.Tests.dll"
if [ ! -f "$WD_ROOT$dll" ]; then
	echo "KTEST FAIL csharp_kernel_tests: $dll is not built (dotnet build -c Release)"
	exit 1
fi
# hisi_zip is loaded (guest-init): what the CLI lists, as KTEST INFO lines.
cli=$(ls "$WD_ROOT$WD_REPO"/src/WarpDrive.Cli/bin/Release/net10.0/*.Cli.dll "$WD_ROOT$WD_REPO"/src/WarpDrive.Cli/bin/Release/net10.0/warpdrive.dll 2>/dev/null | head -1)
if [ -n "$cli" ]; then
	chroot "$WD_ROOT" /usr/bin/env HOME=/tmp DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 \
		/usr/bin/dotnet "${cli#"$WD_ROOT"}" devices >/tmp/devices.txt 2>&1
	echo "KTEST INFO warpdrive devices (exit $?):"
	sed 's/^/KTEST INFO   /' /tmp/devices.txt
	grep -q 'hisi_zip-' /tmp/devices.txt && echo "KTEST PASS warpdrive_devices_lists_hisi_zip" ||
		echo "KTEST FAIL warpdrive_devices_lists_hisi_zip: no hisi_zip device in its output"
else
	echo "KTEST FAIL warpdrive_devices_lists_hisi_zip: the CLI is not built (dotnet build -c Release src/WarpDrive.Cli)"
fi
# The echo tests expect uacce_echo to be the first device the pool finds; the hisi_zip tests (one collection,
# run alone, after the others) load hisi_zip themselves with the parameters each needs, through busybox.
rmmod hisi_zip 2>/dev/null
bb=$(chroot "$WD_ROOT" /bin/sh -c 'command -v busybox' 2>/dev/null)
chroot "$WD_ROOT" /usr/bin/env HOME=/tmp DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 \
	WARPDRIVE_HISI_ZIP_KO="$WD_REPO/native/hisi-zip/hisi_zip.ko" WARPDRIVE_BUSYBOX="$bb" \
	WARPDRIVE_KERNEL_TIER=1 /usr/bin/dotnet "$dll" \
	--no-progress --output Detailed >/tmp/csharp.txt 2>&1
rc=$?
sed 's/^/CSHARP /' /tmp/csharp.txt
sed -n 's/^passed \([^ ]*\).*/KTEST PASS cs:\1/p; s/^failed \([^ ]*\).*/KTEST FAIL cs:\1: see CSHARP lines/p' /tmp/csharp.txt
ran=$(grep -cE '^(passed|failed) ' /tmp/csharp.txt)
if [ "$ran" -eq 0 ]; then
	echo "KTEST FAIL csharp_kernel_tests: no test ran (exit $rc)"
	exit 1
fi
exit "$rc"

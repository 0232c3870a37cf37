#!/bin/sh
# Runs in the qemu guest after the C selftests, with wd_uacce and uacce_echo loaded: the C# UacceQueue tests
# (trait Tier=Kernel) through the host's dotnet, chrooted into the writable view of the host root.
# Each test becomes one KTEST line; the run fails if none ran.
dll="$WD_REPO/tests/WarpDrive.Core.Tests/bin/Release/net10.0/WarpDrive.Core.Tests.dll"
if [ ! -f "$WD_ROOT$dll" ]; then
	echo "KTEST FAIL csharp_kernel_tests: $dll is not built (dotnet build -c Release)"
	exit 1
fi
chroot "$WD_ROOT" /usr/bin/env HOME=/tmp DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 \
	WARPDRIVE_KERNEL_TIER=1 /usr/bin/dotnet "$dll" --filter-trait "Tier=Kernel" \
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

#!/usr/bin/env bash
# The one test command: every tier, then one totals line ("N passed, N failed, N skipped").
#
#   ./test.sh                 all tiers: the xunit projects, the consumer tier (packages as a user installs them), the kernel tier
#   WD_SKIP_KERNEL=1 ./test.sh   skip the qemu kernel tier (a failure under CI=true)
#
# It installs what it needs itself: NuGet packages through restore; libisal2, libdeflate0, pigz, curl, python3,
# chromium and openssl below (apt-get, as root); the kernel
# tier installs Debian's kernel headers and image, qemu and busybox (see tests/kernel/run.sh).
set -u -o pipefail
cd "$(dirname "$0")"

passed=0 failed=0 skipped=0
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT

add_counts() { passed=$((passed + $1)); failed=$((failed + $2)); skipped=$((skipped + $3)); }

# Prerequisites: the .NET SDK comes with the machine; without it nothing here can run.
if ! command -v dotnet >/dev/null; then
	echo "test.sh: the .NET SDK (dotnet) is not on PATH" >&2
	echo "0 passed, 1 failed"
	exit 1
fi

# The soft engine's fastest codecs are Debian packages it loads where present: ISA-L (level 1 compression) and
# libdeflate (whole-buffer decompression). Installed here so the tests cover the paths a tuned machine runs.
# pigz is a peer the interop tests run against; curl, python3 and chromium are the HTTP clients that must read
# every gzip response (tests/WarpDrive.Compression.Tests/AspNetCore/HttpClientsInteropTests.cs); the openssl command
# tells the RSA tests which libcrypto the loader finds.
for lib in libisal2 libdeflate0 pigz curl python3 chromium openssl; do
	if ! dpkg -s "$lib" >/dev/null 2>&1 && command -v apt-get >/dev/null; then
		echo "== installing $lib"
		{ DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$lib" ||
			{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$lib"; }; } \
			>"$log/apt-$lib.txt" 2>&1 || echo "test.sh: could not install $lib" >&2
	fi
done

echo "== build"
if ! dotnet build WarpDrive.sln -c Release -nologo -clp:ErrorsOnly >"$log/build.txt" 2>&1; then
	cat "$log/build.txt"
	echo "test.sh: build failed" >&2
	echo "0 passed, 1 failed"
	exit 1
fi

# Each xunit.v3 test project is an executable; its summary says total/failed/succeeded/skipped.
run_tests() {
	local name=$1 dll=$2; shift 2
	echo "== $name"
	local out="$log/$name.txt"
	dotnet "$dll" --no-progress "$@" 2>&1 | tee "$out" | grep -E "^(failed|  failed|error)|\[FAIL\]|Test run summary|^  (total|failed|succeeded|skipped):" | head -60
	local ok fail skip
	ok=$(awk '/^  succeeded:/ {print $2}' "$out" | tail -1)
	fail=$(awk '/^  failed:/ {print $2}' "$out" | tail -1)
	skip=$(awk '/^  skipped:/ {print $2}' "$out" | tail -1)
	if [ -z "$ok" ]; then
		echo "test.sh: $name printed no summary" >&2
		add_counts 0 1 0
		return
	fi
	# What each failure said (the log goes with the run).
	[ "${fail:-0}" -gt 0 ] && grep -A14 "^failed " "$out" | head -120
	add_counts "$ok" "${fail:-0}" "${skip:-0}"
}

for project in tests/WarpDrive.*.Tests; do
	name=$(basename "$project")
	# The kernel tier runs that one in its qemu guest, against the devices it needs; here it would only skip.
	[ "$name" = WarpDrive.Kernel.Tests ] && continue
	run_tests "$name" "$project/bin/Release/net10.0/$name.dll"
done

# The consumer tier: the packages and the tool as a user installs them (tests/consumer/run.sh).
echo "== consumer tier"
bash tests/consumer/run.sh 2>&1 | tee "$log/consumer.txt" | grep -E "CONSUMER (FAIL|PASS)|passed, " | tail -20
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log/consumer.txt" | tail -1)
if [ -z "$line" ]; then
	echo "test.sh: the consumer tier printed no totals" >&2
	add_counts 0 1 0
else
	add_counts "$(echo "$line" | awk '{print $1}')" "$(echo "$line" | awk '{print $3}')" 0
fi

echo "== kernel tier"
if [ -n "${WD_SKIP_KERNEL:-}" ] && [ "${CI:-}" != "true" ]; then
	echo "kernel tier skipped (WD_SKIP_KERNEL)"
	add_counts 0 0 1
else
	bash tests/kernel/run.sh 2>&1 | tee "$log/kernel.txt" | grep -E "KTEST (FAIL|PASS)|kernel:|passed, " | tail -40
	# A failure anywhere in the tier, with what it said (the tail above may not reach it; the log goes with the run).
	grep -B2 -A20 "KTEST FAIL" "$log/kernel.txt" | head -120
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log/kernel.txt" | tail -1)
	if [ -z "$line" ]; then
		echo "test.sh: the kernel tier printed no totals" >&2
		add_counts 0 1 0
	else
		add_counts "$(echo "$line" | awk '{print $1}')" "$(echo "$line" | awk '{print $3}')" 0
		# A skipped tier (prerequisites unavailable outside CI) counts as one skip.
		grep -q "kernel: skipped" "$log/kernel.txt" && add_counts 0 0 1
	fi
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]

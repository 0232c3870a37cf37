#!/bin/sh
# Builds and runs zlibng_ceiling and inflate_ceiling on the kind of corpus `warpdrive bench compress` uses:
# 64 MiB of the SDK's reference XML docs, then of its assemblies. Needs a C compiler, the .NET SDK and libdeflate0.
# LEVELS (default "1 6"), THREADS (2) and ROUNDS (5) override the defaults.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=${TMPDIR:-/tmp}/warpdrive-ceiling
mkdir -p "$work"
cc -O2 -o "$work/zlibng_ceiling" "$here/zlibng_ceiling.c" -ldl -lpthread
cc -O2 -o "$work/inflate_ceiling" "$here/inflate_ceiling.c" -ldl -lpthread
libdeflate=$(ldconfig -p | awk '/libdeflate\.so\.0 /{print $NF; exit}')
runtime=$(dotnet --list-runtimes | awk '/^Microsoft.NETCore.App /{v=$2; d=$3} END{gsub(/[][]/, "", d); print d "/" v}')
native="$runtime/libSystem.IO.Compression.Native.so"
root=$(dirname "$(dirname "$(dirname "$runtime")")")
for kind in xml dll; do
	corpus="$work/corpus.$kind"
	if [ "$kind" = xml ]; then
		find "$root/packs" -path '*.Ref/*' -name '*.xml' | LC_ALL=C sort | xargs cat 2>/dev/null | head -c 67108864 >"$corpus"
	else
		find "$runtime" "$root/packs" -name '*.dll' | LC_ALL=C sort | xargs cat 2>/dev/null | head -c 67108864 >"$corpus"
	fi
	for level in ${LEVELS:-1 6}; do
		printf '%s compress: ' "$kind"
		"$work/zlibng_ceiling" "$native" "$corpus" "$level" "${THREADS:-2}" "${ROUNDS:-5}"
		printf '%s decompress: ' "$kind"
		"$work/inflate_ceiling" "$native" "${libdeflate:?libdeflate0 is not installed}" "$corpus" "$level" "${THREADS:-2}" "${ROUNDS:-5}"
	done
done

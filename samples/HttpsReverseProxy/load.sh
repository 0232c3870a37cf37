#!/usr/bin/env bash
# The proxy's bounded load run on loopback: wrk against the proxy (demo upstream behind it) in four
# configurations, one row per measure, every figure from this one sitting.
#
#   samples/HttpsReverseProxy/load.sh [SECONDS]     (default 10 per run, at most 30; about 20 runs)
#
# Each proxy is warmed up for 40 s first. Handshakes/s: a new connection per request (Connection: close),
# ECDHE_RSA and RSA key exchange forced in turn on the server. Keep-alive requests/s: gzip requested, 1 KiB,
# 16 KiB and 256 KiB bodies. wrk (OpenSSL) and the proxy share the machine's cores, as do the proxy and the demo
# upstream.
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-10}
[ "$secs" -le 30 ] || { echo "load.sh: at most 30 s per run" >&2; exit 2; }
command -v wrk >/dev/null || { apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }; }
dotnet build -c Release -nologo -clp:ErrorsOnly >/dev/null
dll=bin/Release/net10.0/HttpsReverseProxy.dll
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
dotnet "$dll" --generate-cert "$work" >/dev/null
port=18443

# start NAME ARGS...: the proxy on $port with the demo upstream, ready when /healthz answers.
start() {
	dotnet "$dll" --demo-upstream --listen 127.0.0.1:$port --cert "$work/cert.pem" --key "$work/key.pem" "$@" >"$work/proxy.log" 2>&1 &
	pid=$!
	for _ in $(seq 100); do
		if curl -skf "https://127.0.0.1:$port/healthz" >/dev/null 2>&1; then
			# Warm-up, not counted: on two cores under load the tiered JIT keeps recompiling for 30-40 s after
			# start (perf: a fifth of the proxy's CPU in its thread 20 s in; handshakes/s rose from ~540 to ~890
			# once it was done).
			wrk -t2 -c16 -d20s -H "Connection: close" "https://127.0.0.1:$port/text/1024" >/dev/null
			wrk -t2 -c16 -d20s -H "Accept-Encoding: gzip" "https://127.0.0.1:$port/text/16384" >/dev/null
			return 0
		fi
		sleep 0.1
	done
	cat "$work/proxy.log" >&2
	return 1
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; }
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; } # the proxy's CPU time so far, in clock ticks
measure() { # measure PATH [wrk args...]: "requests/s CPU-ms-per-request" (the proxy's CPU time)
	local path=$1 before out n cpu_ms; shift
	before=$(ticks)
	out=$(wrk -t2 -c16 -d"${secs}s" "$@" "https://127.0.0.1:$port$path")
	n=$(echo "$out" | awk '/ requests in / {print $1}')
	cpu_ms=$(awk -v t=$(($(ticks) - before)) -v hz="$(getconf CLK_TCK)" -v n="$n" 'BEGIN { printf "%.2f", (n > 0 ? t * 1000 / hz / n : 0) }')
	echo "$(echo "$out" | awk '/^Requests\/sec:/ {printf "%.0f", $2}') $cpu_ms"
}

declare -A r
configs=(wd "--rsa warpdrive --compression warpdrive"
	wdbuiltin "--rsa warpdrive --compression builtin"
	bc "--rsa bouncycastle --compression builtin"
	kestrel "--tls kestrel --compression builtin")
for ((i = 0; i < ${#configs[@]}; i += 2)); do
	name=${configs[i]}
	# shellcheck disable=SC2086
	for kx in ecdhe rsa; do
		[ "$name" = wdbuiltin ] && continue # same handshake as wd
		start ${configs[i + 1]} --key-exchange $kx
		read -r r[$name,hs,$kx] r[$name,cpu,$kx] < <(measure /text/1024 -H "Connection: close")
		stop
	done
	# shellcheck disable=SC2086
	start ${configs[i + 1]}
	for size in 1024 16384 262144; do
		read -r r[$name,ka,$size] r[$name,kacpu,$size] < <(measure /text/$size -H "Accept-Encoding: gzip")
	done
	stop
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf (b > 0 ? "%.2f" : "-"), a / b }'; }
cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
echo "wrk -t2 -c16, ${secs} s per run, $(nproc) cores ($cpu), $(date -u +%Y-%m-%d)"
echo
echo "| measure | WarpDrive RSA + WarpDrive gzip | WarpDrive RSA + built-in gzip | BouncyCastle RSA + built-in gzip | Kestrel TLS + built-in gzip | WD / BC | WD / Kestrel | WD gzip / built-in |"
echo "|---|---|---|---|---|---|---|---|"
for kx in ecdhe rsa; do
	echo "| handshakes/s, ${kx^^} key exchange | ${r[wd,hs,$kx]} | (same) | ${r[bc,hs,$kx]} | ${r[kestrel,hs,$kx]} | $(ratio "${r[wd,hs,$kx]}" "${r[bc,hs,$kx]}") | $(ratio "${r[wd,hs,$kx]}" "${r[kestrel,hs,$kx]}") | |"
	echo "| proxy CPU ms per handshake, ${kx^^} | ${r[wd,cpu,$kx]} | | ${r[bc,cpu,$kx]} | ${r[kestrel,cpu,$kx]} | | | |"
done
for size in 1024 16384 262144; do
	echo "| keep-alive requests/s, $((size / 1024)) KiB gzipped | ${r[wd,ka,$size]} | ${r[wdbuiltin,ka,$size]} | ${r[bc,ka,$size]} | ${r[kestrel,ka,$size]} | | $(ratio "${r[wd,ka,$size]}" "${r[kestrel,ka,$size]}") | $(ratio "${r[wd,ka,$size]}" "${r[wdbuiltin,ka,$size]}") |"
	echo "| proxy CPU ms per request, $((size / 1024)) KiB | ${r[wd,kacpu,$size]} | ${r[wdbuiltin,kacpu,$size]} | ${r[bc,kacpu,$size]} | ${r[kestrel,kacpu,$size]} | | | |"
done

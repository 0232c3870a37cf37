#!/usr/bin/env bash
# The proxy's bounded load run on loopback: wrk against the proxy (demo upstream behind it) in four
# configurations, one row per measure, every figure from this one sitting.
#
#   samples/HttpsReverseProxy/load.sh [SECONDS]     (default 10 per run, at most 30; 42 runs, about 14 min at 10 s)
#
# Each proxy is warmed up for 40 s first. Handshakes/s: a new connection per request (Connection: close),
# ECDHE_RSA and RSA key exchange forced in turn on the server, one proxy at a time. Keep-alive requests/s: gzip
# requested, 1 KiB, 16 KiB and 256 KiB bodies, the four proxies measured in turn, three rounds averaged. wrk
# (OpenSSL) and the proxy share the machine's cores, as do the proxy and the demo upstream.
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-10}
[ "$secs" -le 30 ] || { echo "load.sh: at most 30 s per run" >&2; exit 2; }
command -v wrk >/dev/null || { apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }; }
dotnet build -c Release -nologo -clp:ErrorsOnly >/dev/null
dll=bin/Release/net10.0/HttpsReverseProxy.dll
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
dotnet "$dll" --generate-cert "$work" >/dev/null
port=18443

# start PORT ARGS...: a proxy on PORT with the demo upstream, ready when /healthz answers; its pid in pids[PORT].
declare -A pids
start() {
	local p=$1; shift
	dotnet "$dll" --demo-upstream --listen 127.0.0.1:$p --cert "$work/cert.pem" --key "$work/key.pem" "$@" >"$work/proxy-$p.log" 2>&1 &
	pids[$p]=$!
	for _ in $(seq 100); do
		if curl -skf "https://127.0.0.1:$p/healthz" >/dev/null 2>&1; then
			# Warm-up, not counted: on two cores under load the tiered JIT keeps recompiling for 30-40 s after
			# start (perf: a fifth of the proxy's CPU in its thread 20 s in; handshakes/s rose from ~540 to ~890
			# once it was done).
			wrk -t2 -c16 -d20s -H "Connection: close" "https://127.0.0.1:$p/text/1024" >/dev/null
			wrk -t2 -c16 -d20s -H "Accept-Encoding: gzip" "https://127.0.0.1:$p/text/16384" >/dev/null
			return 0
		fi
		sleep 0.1
	done
	cat "$work/proxy-$p.log" >&2
	return 1
}
stop() { kill "${pids[$1]}"; wait "${pids[$1]}" 2>/dev/null || true; }
ticks() { awk '{print $14 + $15}' "/proc/${pids[$1]}/stat"; } # a proxy's CPU time so far, in clock ticks
measure() { # measure PORT PATH [wrk args...]: "requests/s CPU-ms-per-request" (that proxy's CPU time)
	local p=$1 path=$2 before out n cpu_ms; shift 2
	before=$(ticks "$p")
	out=$(wrk -t2 -c16 -d"${secs}s" "$@" "https://127.0.0.1:$p$path")
	n=$(echo "$out" | awk '/ requests in / {print $1}')
	cpu_ms=$(awk -v t=$(($(ticks "$p") - before)) -v hz="$(getconf CLK_TCK)" -v n="$n" 'BEGIN { printf "%.2f", (n > 0 ? t * 1000 / hz / n : 0) }')
	echo "$(echo "$out" | awk '/^Requests\/sec:/ {printf "%.0f", $2}') $cpu_ms"
}
mean() { echo "$@" | awk '{ s = 0; for (i = 1; i <= NF; i++) s += $i; printf (/\./ ? "%.2f" : "%.0f"), s / NF }'; }

declare -A r
names=(wd wdbuiltin bc kestrel)
declare -A args=([wd]="--rsa warpdrive --compression warpdrive" [wdbuiltin]="--rsa warpdrive --compression builtin"
	[bc]="--rsa bouncycastle --compression builtin" [kestrel]="--tls kestrel --compression builtin")
# Handshakes: one proxy at a time (they would share the cores), each key exchange forced in turn.
for name in wd bc kestrel; do
	for kx in ecdhe rsa; do
		# shellcheck disable=SC2086
		start $port ${args[$name]} --key-exchange $kx
		read -r r[$name,hs,$kx] r[$name,cpu,$kx] < <(measure $port /text/1024 -H "Connection: close")
		stop $port
	done
done
# Keep-alive: the four proxies up at once (an idle one costs nothing), measured in turn, three rounds, averaged:
# machine noise between sittings moved single runs by 15-25 %, more than the differences measured. Each round starts
# one proxy later: a proxy still busy after its own run (a collection, the JIT) slows the one measured next.
for i in "${!names[@]}"; do
	# shellcheck disable=SC2086
	start $((port + i)) ${args[${names[i]}]}
done
for size in 1024 16384 262144; do
	for round in 1 2 3; do
		for k in "${!names[@]}"; do
			i=$(((k + round) % ${#names[@]}))
			read -r r[${names[i]},ka$round,$size] r[${names[i]},kacpu$round,$size] < <(measure $((port + i)) /text/$size -H "Accept-Encoding: gzip")
		done
	done
	for name in "${names[@]}"; do
		r[$name,ka,$size]=$(mean "${r[$name,ka1,$size]}" "${r[$name,ka2,$size]}" "${r[$name,ka3,$size]}")
		r[$name,kacpu,$size]=$(mean "${r[$name,kacpu1,$size]}" "${r[$name,kacpu2,$size]}" "${r[$name,kacpu3,$size]}")
	done
done
for i in "${!names[@]}"; do stop $((port + i)); done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf (b > 0 ? "%.2f" : "-"), a / b }'; }
cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
echo "wrk -t2 -c16, ${secs} s per run (keep-alive: mean of three interleaved rounds), $(nproc) cores ($cpu), $(date -u +%Y-%m-%d)"
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

#!/usr/bin/env bash
# An idle system (every thread blocked in IPC, waiting for input) uses no
# CPU: after it settles, every host thread sleeps and the process gains
# (almost) no CPU time over one second.
# Usage: idle.sh CHACMSIM [--bench]   (--bench prints "bench idle_cpu_pct")
set -u
sim=$1
"$sim" --hold --timeout 30 --root idle_probe >/dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null' EXIT
sleep 1
kill -0 $pid 2>/dev/null || { echo "idle: chacmsim is not running (it should wait)"; exit 1; }
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
t0=$(ticks); s0=$(date +%s%N)
sleep 1
t1=$(ticks); s1=$(date +%s%N)
hz=$(getconf CLK_TCK)
pct=$(awk -v d=$((t1 - t0)) -v hz="$hz" -v ns=$((s1 - s0)) 'BEGIN { printf "%.2f", 100 * d / hz / (ns / 1e9) }')
kill -0 $pid 2>/dev/null || { echo "idle: chacmsim ended while it should wait"; exit 1; }
running=$(for t in /proc/$pid/task/*; do awk '{print $3}' "$t/stat"; done | grep -c '^R')
if [ "${2:-}" = --bench ]; then
  echo "bench idle_cpu_pct $pct %"
  exit 0
fi
echo "idle: $pct% of a CPU over one second, $running host threads running"
[ "$running" -eq 0 ] && awk -v p="$pct" 'BEGIN { exit !(p < 5) }'

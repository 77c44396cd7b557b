#!/usr/bin/env bash
# Durable REGISTER on SQLite: throughput, latency and where the CPU goes, per registration. Starts a Release repsecd on
# a fresh data directory, warms it up, then runs linebench (the anchor script's load generator, 50 connections) for
# ROUNDS rounds of 5 s and prints, per round, the server's CPU time and its SQLite writer thread's CPU time divided by
# the registrations acknowledged in that round (from /proc). The writer thread commits every batch, so its figure is
# the serial part. To compare two builds, pass the second one's repsecd.dll and alternate runs.
#
#   bash bench/register-cpu.sh [repsecd.dll] [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
repsecd=${1:-src/RepSec.Server/bin/Release/net10.0/repsecd.dll}
rounds=${2:-3}
work=$(mktemp -d /tmp/repsec-register-cpu.XXXXXX)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

[ "$#" -ge 1 ] || dotnet build -c Release -v q src/RepSec.Server >/dev/null
gcc -O2 -o "$work/linebench" ../shared/tools/linebench.c -lssl -lcrypto -lpthread
source bench/repsecd.sh
raise_rate_limits
start_repsecd "$repsecd" "$work/data"
token=$(issue_token "$repsecd" "$work/data")
writer=$(grep -lx repsec-sqlite-w /proc/$pid/task/*/comm | head -n 1 | cut -d/ -f5)
[ -n "$writer" ] || { echo "no repsec-sqlite-w thread in repsecd $pid" >&2; exit 1; }

cpu() { awk '{print $14 + $15}' "$1"; }   # utime + stime, in clock ticks
run() {
  "$work/linebench" 127.0.0.1 "$repsec_port" 50 "$1" \
    "{\"command\":\"REGISTER\",\"entity\":\"$2{n}.example\",\"type\":\"domain\",\"auth\":\"$token\",\"nonce\":\"$2{n}\",\"timestamp\":\"{ts}\"}" \
    --expect-status 200
}
run 8 warm >/dev/null
ticks=$(getconf CLK_TCK)
for round in $(seq "$rounds"); do
  a=$(cpu /proc/$pid/stat); wa=$(cpu /proc/$pid/task/$writer/stat)
  out=$(run 5 "r$round")
  b=$(cpu /proc/$pid/stat); wb=$(cpu /proc/$pid/task/$writer/stat)
  ok=$(echo "$out" | sed -n 's/.* ok=\([0-9]*\).*/\1/p')
  echo "$out" | awk -v ok="$ok" -v a="$a" -v b="$b" -v wa="$wa" -v wb="$wb" -v hz="$ticks" \
    '{ printf "%s server_cpu_us_per_op=%.0f writer_cpu_us_per_op=%.0f\n", $0, (b-a)*1e6/hz/ok, (wb-wa)*1e6/hz/ok }'
done

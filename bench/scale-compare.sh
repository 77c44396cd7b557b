#!/usr/bin/env bash
# The same measurements on registries of different sizes, with the same tool, one after the other: for each data
# directory (made by `RepSec.Benchmarks registry DIR N`, which registers bench0..bench{N-1}.example), a Release repsecd
# is started on it and measured for time to ready, to RDAP searches ready (the sort after ready) and to every entity
# checked against its log entry, anonymous memory at ready (RssAnon: the SQLite file mapping left out), then VERIFY
# of random names among the N (linebench, 50 connections) and durable REGISTER of new names, ROUNDS rounds of SECS
# seconds each. The directories are visited in turn, RUNS times. REGISTER adds names to the directories.
#
#   RUNS=2 bash bench/scale-compare.sh /tmp/reg1m 1000000 /tmp/reg10m 10000000
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}; SECS=${SECS:-5}; RUNS=${RUNS:-1}
[ $(( $# % 2 )) -eq 0 ] && [ $# -gt 0 ] || { echo "usage: bash bench/scale-compare.sh DIR N [DIR N ...]" >&2; exit 2; }
source bench/repsecd.sh
bench_setup scale
raise_rate_limits
rps() { sed -n 's/.*rps=\([0-9]*\).*/\1/p'; }

for run in $(seq "$RUNS"); do
  args=("$@")
  for ((a = 0; a < ${#args[@]}; a += 2)); do
    dir=${args[a]}; n=${args[a + 1]}
    started=$(date +%s.%N)
    START_SECONDS=600 start_repsecd "$repsecd" "$dir"
    for _ in $(seq 6000); do curl -skf "https://127.0.0.1:$rdap_port/health/ready" >/dev/null && break; sleep 0.1; done
    ready=$(echo "$(date +%s.%N) - $started" | bc)
    anon=$(awk '/RssAnon/ { print $2 }' /proc/$pid/status)
    # Measured once the work after ready is done: the search order's sort, then the check of every loaded entity
    # against its log entry (both at the lowest priority).
    for _ in $(seq 6000); do grep -q "RDAP searches ready" "$dir.log" && break; sleep 0.1; done
    sorted=$(echo "$(date +%s.%N) - $started" | bc)
    for _ in $(seq 12000); do grep -q "checked against their log entries" "$dir.log" && break; sleep 0.1; done
    checked=$(echo "$(date +%s.%N) - $started" | bc)
    token=$(issue_token "$repsecd" "$dir")
    verify=(); register=()
    for round in $(seq "$ROUNDS"); do
      verify+=("$("$linebench" 127.0.0.1 "$repsec_port" 50 "$SECS" '{"command":"VERIFY","entity":"bench{i}.example","type":"domain"}' --keys "$n" --expect-status 200 | rps)")
      register+=("$("$linebench" 127.0.0.1 "$repsec_port" 50 "$SECS" \
        "{\"command\":\"REGISTER\",\"entity\":\"s$run-$round-{n}.example\",\"type\":\"domain\",\"auth\":\"$token\",\"nonce\":\"s$run-$round-{n}\",\"timestamp\":\"{ts}\"}" --expect-status 200 | rps)")
    done
    printf '%-10s N=%-9s ready %5.1f s  searches %5.1f s  checked %5.1f s  anon at ready %6d MB (%d B/name)  VERIFY %s/s  REGISTER %s/s   (run %d)\n' \
      "$(basename "$dir")" "$n" "$ready" "$sorted" "$checked" $((anon / 1024)) $((anon * 1024 / n)) "$(IFS=/; echo "${verify[*]}")" "$(IFS=/; echo "${register[*]}")" "$run"
    kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
  done
done

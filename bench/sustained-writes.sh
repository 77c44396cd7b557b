#!/usr/bin/env bash
# One principal writing at full speed for a long time: a Release repsecd on a fresh data directory, the request rate
# limits raised (they are the operator's policy for one client; replay protection stays at its defaults), and
# linebench sending durable REGISTERs of new names, each with a fresh nonce, on 50 connections for SECS seconds
# (default 600). Every answer but 200 counts as bad: a 429 from the nonce store would show there. Prints the load
# generator's line and the server's resident memory at the end.
#
#   SECS=600 bash bench/sustained-writes.sh
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${SECS:-600}
source bench/repsecd.sh
bench_setup sustained
raise_rate_limits
start_repsecd "$repsecd" "$work/data"
token=$(issue_token "$repsecd" "$work/data")
"$linebench" 127.0.0.1 "$repsec_port" 50 "$secs" \
  "{\"command\":\"REGISTER\",\"entity\":\"r{n}.example\",\"type\":\"domain\",\"auth\":\"$token\",\"nonce\":\"{n}\",\"timestamp\":\"{ts}\"}" \
  --expect-status 200 || true
echo "repsecd resident $(awk '/VmRSS/ { print $2 }' /proc/$pid/status) kB after $secs s"

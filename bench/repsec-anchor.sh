#!/usr/bin/env bash
# The RepSec anchor (PING, VERIFY over KEYS registered names, durable REGISTER) against Redis, as docs/performance.md
# measures it, in one command: a Release repsecd on a fresh data directory with the request rate limits raised (so
# the limiter is not what is measured; replay protection stays at its defaults), a registrant token, then
# ../shared/tools/anchor-compare.sh repsec, which registers bench0..bench{KEYS-1}.example through the protocol first.
# Prints the anchor's lines, the server's resident memory after the preload, and the host's steal during the run.
#
#   KEYS=1000000 bash bench/repsec-anchor.sh [runs]      # ROUNDS (default 3) and SECS are passed on
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-1}
work=$(mktemp -d /tmp/repsec-anchor.XXXXXX)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

dotnet build -c Release -v q src/RepSec.Server >/dev/null
repsecd=src/RepSec.Server/bin/Release/net10.0/repsecd.dll
source bench/repsecd.sh
raise_rate_limits
steal() { awk '$1 == "cpu" { print $9 }' /proc/stat; }

for run in $(seq "$runs"); do
  rm -rf "$work/data"
  start_repsecd "$repsecd" "$work/data"
  token=$(issue_token "$repsecd" "$work/data")
  before=$(steal); started=$(date +%s)
  KEYS=${KEYS:-1000} ROUNDS=${ROUNDS:-3} bash ../shared/tools/anchor-compare.sh repsec "127.0.0.1:$repsec_port" "$token" | sed "s/\$/   (run $run)/"
  ticks=$(( $(steal) - before )); seconds=$(( $(date +%s) - started ))
  echo "repsecd resident $(awk '/VmRSS/ { print $2 }' /proc/$pid/status) kB after the run, $seconds s, host steal $(( 100 * ticks / ($(getconf CLK_TCK) * $(nproc) * (seconds > 0 ? seconds : 1)) ))%"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
done

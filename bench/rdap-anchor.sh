#!/usr/bin/env bash
# The RDAP lookup against nginx, as docs/performance.md measures it, in one command: a Release repsecd on a fresh
# data directory (anonymous rate limit off, so the limiter is not what is measured), one domain registered, 30 s of
# wrk load so tiered compilation finishes, then ../shared/tools/anchor-compare.sh rdap on that domain's URL. Prints
# the anchor's line and how much CPU the host took back (steal, from /proc/stat) during the run: on a shared virtual
# machine a run with steal says more about the host than about either server.
#
#   bash bench/rdap-anchor.sh [runs]      # ROUNDS (default 5) is passed on to anchor-compare.sh
#   KEYS=100000 bash bench/rdap-anchor.sh # random names among KEYS: bench0..bench{KEYS-1}.example registered through
#                                         # the real store first (RepSec.Benchmarks' registry mode), nginx serving as many
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-1}
work=$(mktemp -d /tmp/repsec-rdap-anchor.XXXXXX)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

command -v wrk >/dev/null || { echo "wrk is required: apt-get install wrk" >&2; exit 2; }
dotnet build -c Release -v q src/RepSec.Server >/dev/null
dotnet build -c Release -v q src/RepSec.Cli >/dev/null
repsecd=src/RepSec.Server/bin/Release/net10.0/repsecd.dll
repsec=src/RepSec.Cli/bin/Release/net10.0/repsec.dll
source bench/repsecd.sh
steal() { awk '$1 == "cpu" { print $9 }' /proc/stat; }

keys=${KEYS:-1}
[ "$keys" -le 1 ] || dotnet build -c Release -v q bench/RepSec.Benchmarks >/dev/null
for run in $(seq "$runs"); do
  rm -rf "$work/data"
  if [ "$keys" -gt 1 ]; then
    dotnet bench/RepSec.Benchmarks/bin/Release/net10.0/RepSec.Benchmarks.dll registry "$work/data" "$keys" >/dev/null
  fi
  RepSec__Rdap__RateLimits__AnonymousPerSecond=0 RepSec__MaxConnectionsPerAddress=10000 start_repsecd "$repsecd" "$work/data"
  if [ "$keys" -gt 1 ]; then
    url=https://127.0.0.1:$rdap_port/rdap/domain/bench{i}.example
    warm=https://127.0.0.1:$rdap_port/rdap/domain/bench0.example
  else
    token=$(issue_token "$repsecd" "$work/data")
    dotnet "$repsec" --server "127.0.0.1:$repsec_port" --ca "$work/data/tls/dev-ca.crt" --token "$token" register example.com --type domain >/dev/null
    url=https://127.0.0.1:$rdap_port/rdap/domain/example.com
    warm=$url
  fi
  wrk -t2 -c50 -d30s "$warm" >/dev/null
  before=$(steal); started=$(date +%s)
  line=$(KEYS=$keys ROUNDS=${ROUNDS:-5} bash ../shared/tools/anchor-compare.sh rdap "$url" | tail -n 1)
  ticks=$(( $(steal) - before )); seconds=$(( $(date +%s) - started ))
  echo "$line   (run $run, host steal $(( 100 * ticks / ($(getconf CLK_TCK) * $(nproc) * (seconds > 0 ? seconds : 1)) ))%)"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
done

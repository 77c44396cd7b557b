#!/usr/bin/env bash
# repsec import of ROWS (default 1000000) REGISTER rows, against the engine's own REGISTER rate in the same run
# (RepSec.LoadGen, 50 connections, 10 s), on a Release repsecd with rate limits out of the way (as an operator raises
# them for a bulk load). Prints both rates.
#
#   bash bench/import-bench.sh [connections]      # repsec import --connections (default: its own, 32)
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d /tmp/repsec-import-bench.XXXXXX)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
rows=${ROWS:-1000000}
dotnet build -c Release -v q src/RepSec.Server >/dev/null
dotnet build -c Release -v q src/RepSec.Cli >/dev/null
dotnet build -c Release -v q bench/RepSec.LoadGen >/dev/null
repsecd=src/RepSec.Server/bin/Release/net10.0/repsecd.dll
source bench/repsecd.sh
raise_rate_limits
awk -v n="$rows" 'BEGIN { print "command,entity,type"; for (i = 0; i < n; i++) printf "REGISTER,import%d.example,domain\n", i }' > "$work/rows.csv"
start_repsecd "$repsecd" "$work/data"
token=$(issue_token "$repsecd" "$work/data")
engine=$(dotnet bench/RepSec.LoadGen/bin/Release/net10.0/repsec-loadgen.dll --server "127.0.0.1:$repsec_port" --connections 50 --seconds 10 \
  --command register --token "$token")
echo "engine REGISTER (LoadGen, 50 connections): $engine"
started=$(date +%s.%N)
dotnet src/RepSec.Cli/bin/Release/net10.0/repsec.dll --server "127.0.0.1:$repsec_port" --ca "$work/data/tls/dev-ca.crt" --token "$token" \
  import "$work/rows.csv" ${1:+--connections "$1"} 2>/dev/null
seconds=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
echo "repsec import: $rows rows in $seconds s = $(awk -v n="$rows" -v s="$seconds" 'BEGIN { printf "%d", n / s }') rows/s"

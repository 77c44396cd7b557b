#!/usr/bin/env bash
# The DNSBL against rbldnsd, and a long blocklist, as docs/performance.md ("Consumers") measures them.
#
#   bash bench/consumers-bench.sh dnsbl [runs]   # LISTED (default 50000) addresses reported; dnsperf asks for twice as many
#                                                # names (half listed) of repsecd's DNSBL and of Debian's rbldnsd serving
#                                                # the same list, exported by repsecd's own rbldnsd feed; alternating runs
#   bash bench/consumers-bench.sh blocklist      # ENTRIES (default 1000000) addresses reported; time to first and last
#                                                # byte of /blocklist, and repsecd's resident memory before and after
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:?dnsbl or blocklist}
runs=${2:-3}
work=$(mktemp -d /tmp/repsec-consumers.XXXXXX)
chmod 755 "$work"
pid=; rbl=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; [ -n "$rbl" ] && kill "$rbl" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

for tool in dnsperf rbldnsd curl; do command -v $tool >/dev/null || { echo "$tool is required (apt-get install dnsperf rbldnsd curl)" >&2; exit 2; }; done
dotnet build -c Release -v q src/RepSec.Server >/dev/null
dotnet build -c Release -v q bench/RepSec.Benchmarks >/dev/null
repsecd=src/RepSec.Server/bin/Release/net10.0/repsecd.dll
rss() { awk '/VmRSS/ { r = $2 } /RssAnon/ { a = $2 } /RssFile/ { f = $2 } END { printf "%d MiB (anonymous %d, file-backed %d)", r / 1024, a / 1024, f / 1024 }' "/proc/$1/status"; }
steal() { awk '$1 == "cpu" { print $9 }' /proc/stat; }

start() { # DATA [extra flags]: a Release repsecd at free ports with the DNSBL on 15300, its rate limits off
  local data=$1; shift
  RepSec__Dnsbl__PerSecond=0 RepSec__Rdap__RateLimits__AnonymousPerSecond=0 \
    dotnet "$repsecd" serve --data "$data" --repsec-port 0 --rdap-port 0 --dnsbl-port 15300 --dnsbl-zone bl.example.org "$@" >"$data.log" 2>&1 &
  pid=$!
  for _ in $(seq 1200); do grep -q "Reputation table loaded" "$data.log" && grep -q "Ready" "$data.log" && break; sleep 0.1; done
  grep -q "Ready" "$data.log" || { cat "$data.log"; echo "repsecd did not start" >&2; exit 1; }
  rdap_port=$(sed -n 's|.*RDAP listening on https://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$data.log" | head -n 1)
}

qps() { # PORT: dnsperf's queries per second over the query file, 20 s, after 5 s of warm-up
  dnsperf -s 127.0.0.1 -p "$1" -d "$work/queries.txt" -l 5 -c 8 -Q 1000000 >/dev/null 2>&1
  dnsperf -s 127.0.0.1 -p "$1" -d "$work/queries.txt" -l 20 -c 8 -Q 1000000 2>&1 | awk '/Queries per second/ { printf "%d", $4 } /Queries lost/ { lost = $3 } END { printf " (lost %s)", lost }'
}

if [ "$mode" = dnsbl ]; then
  listed=${LISTED:-50000}
  dotnet bench/RepSec.Benchmarks/bin/Release/net10.0/RepSec.Benchmarks.dll reports "$work/data" "$listed"
  # 10.0.0.0 up: the first half listed, the second not; shuffled so neither server sees a pattern.
  python3 -c "
import ipaddress, random
names = ['.'.join(reversed(str(ipaddress.IPv4Address(0x0A000000 + i)).split('.'))) + '.bl.example.org A' for i in range(2 * $listed)]
random.seed(1); random.shuffle(names); print('\n'.join(names))" > "$work/queries.txt"
  start "$work/data"
  curl -s --cacert "$work/data/tls/dev-ca.crt" -o "$work/ip4.zone" "https://127.0.0.1:$rdap_port/blocklist?format=rbldnsd&family=4"
  chmod 644 "$work/ip4.zone"
  echo "// $(grep -c ' :127' "$work/ip4.zone") entries in the exported zone; $(wc -l < "$work/queries.txt") query names"
  rbldnsd -n -b 127.0.0.1/15301 -w "$work" bl.example.org:ip4set:ip4.zone >/dev/null 2>&1 &
  rbl=$!
  sleep 2
  for run in $(seq "$runs"); do
    before=$(steal); started=$(date +%s)
    ours=$(qps 15300); theirs=$(qps 15301)
    ticks=$(( $(steal) - before )); seconds=$(( $(date +%s) - started ))
    echo "DNSBL run $run: repsecd ${ours} q/s, rbldnsd ${theirs} q/s, ratio $(awk -v a="${ours%% *}" -v b="${theirs%% *}" 'BEGIN { printf "%.2f", a / b }')   (host steal $(( 100 * ticks / ($(getconf CLK_TCK) * $(nproc) * (seconds > 0 ? seconds : 1)) ))%)"
  done
  echo "// repsecd resident memory $(rss "$pid")"
else
  entries=${ENTRIES:-1000000}
  dotnet bench/RepSec.Benchmarks/bin/Release/net10.0/RepSec.Benchmarks.dll reports "$work/data" "$entries"
  started=$(date +%s.%N)
  start "$work/data"
  echo "// start to ready with the table loaded: $(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s; $(grep -o 'loaded: [0-9]* entities' "$work/data.log")"
  echo "// resident memory before: $(rss "$pid")"
  for format in plain rbldnsd; do
    query=$([ $format = plain ] && echo "" || echo "?format=rbldnsd&family=4")
    for http in --http1.1 --http2; do
      curl -s "$http" --cacert "$work/data/tls/dev-ca.crt" -o "$work/list" -w "blocklist $format $http: %{http_code}, first byte %{time_starttransfer} s, last byte %{time_total} s, %{size_download} bytes" \
        "https://127.0.0.1:$rdap_port/blocklist$query"
      echo ", $(grep -c . "$work/list") lines; resident memory after: $(rss "$pid")"
    done
  done
fi

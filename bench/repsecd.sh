# Sourced by the bench scripts: starts a repsecd on a fresh data directory at ports 0 and waits until it listens.
#
#   start_repsecd DLL DATA      # sets pid, repsec_port, rdap_port; the caller's environment configures the server
#                               # (START_SECONDS, default 30: how long to wait for it to listen)
#   issue_token DLL DATA        # prints a registrant token for the principal "bench"
#   raise_rate_limits           # request rate limits and connections per address out of a load generator's way
#   bench_setup NAME            # a work directory ($work) removed at exit with the repsecd started in it, a Release
#                               # repsecd built ($repsecd) and linebench compiled ($linebench)
start_repsecd() {
  local dll=$1 data=$2 log=$2.log
  dotnet "$dll" --data "$data" --repsec-port 0 --rdap-port 0 >"$log" 2>&1 &
  pid=$!
  for _ in $(seq $(( ${START_SECONDS:-30} * 10 ))); do grep -q "RDAP listening" "$log" && break; sleep 0.1; done
  grep -q "RDAP listening" "$log" || { cat "$log"; echo "repsecd did not start" >&2; exit 1; }
  repsec_port=$(sed -n 's/.*RepSec listening on .*127\.0\.0\.1:\([0-9]*\).*/\1/p' "$log" | head -n 1)
  rdap_port=$(sed -n 's|.*RDAP listening on https://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$log" | head -n 1)
}

issue_token() {
  dotnet "$1" token issue --data "$2" --principal bench --role registrant 2>/dev/null | tail -n 1
}

raise_rate_limits() {
  export RepSec__RateLimits__PerAddressPerSecond=10000000 RepSec__RateLimits__PerAddressBurst=10000000 \
         RepSec__RateLimits__PerPrincipalPerSecond=10000000 RepSec__RateLimits__PerPrincipalBurst=10000000 \
         RepSec__MaxConnectionsPerAddress=10000
}

bench_setup() {
  work=$(mktemp -d "/tmp/repsec-$1.XXXXXX")
  pid=
  trap 'if [ -n "${pid:-}" ]; then kill "$pid" 2>/dev/null; fi; rm -rf "$work"' EXIT
  dotnet build -c Release -v q src/RepSec.Server >/dev/null
  repsecd=src/RepSec.Server/bin/Release/net10.0/repsecd.dll
  linebench=$work/linebench
  gcc -O2 -o "$linebench" ../shared/tools/linebench.c -lssl -lcrypto -lpthread
}

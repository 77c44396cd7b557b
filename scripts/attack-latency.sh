#!/usr/bin/env bash
# Slow and abusive clients against a local repsecd, and a well-behaved client's latency under each attack:
#
#   bash scripts/attack-latency.sh                        # every scenario, 10 s each (about 4 minutes)
#   bash scripts/attack-latency.sh --seconds 5 --scenario f --scenario g   # options go to repsec-attack
#
# Builds the server and bench/RepSec.Attack in Release, starts repsecd on a temporary data directory at free
# ports on 127.0.0.1 (defaults otherwise), issues a registrant token and gives a principal an RDAP password to
# guess, runs the attacks (from 127.0.0.2 upwards: Linux routes all of 127/8 to loopback) and prints the
# markdown table on standard output; progress goes to standard error. The server's log is kept on failure.
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# The total-cap flood holds 10,250 connections; the server holds its side of them too.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt 12000 ]; then
  echo "warning: only $(ulimit -n) file descriptors; the total-cap flood needs about 11,000 (raise the hard limit)" >&2
fi

dotnet build src/RepSec.Server -c Release -v q -nologo >&2
dotnet build bench/RepSec.Attack -c Release -v q -nologo >&2
repsecd=(dotnet src/RepSec.Server/bin/Release/net10.0/repsecd.dll)
attack=(dotnet bench/RepSec.Attack/bin/Release/net10.0/repsec-attack.dll)

data=$(mktemp -d /tmp/repsec-attack.XXXXXX)
log="$data/server.log"
server=
stop() {
  local status=$?
  # Only the script itself cleans up, never a subshell that inherited the trap.
  [ "$BASHPID" = "$$" ] || return 0
  if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
    kill "$server"
    wait "$server" 2>/dev/null || true
  fi
  if [ "$status" -eq 0 ]; then rm -rf "$data"; else echo "server log kept: $log" >&2; fi
}
trap stop EXIT

token=$("${repsecd[@]}" token issue --data "$data" --principal attack-good --role registrant 2>/dev/null)
echo "a password nobody will guess $RANDOM$RANDOM" | "${repsecd[@]}" user add --data "$data" --principal attack-victim --role registrant --password-stdin >/dev/null 2>&1

# Port 0: the server picks free ports and logs them.
"${repsecd[@]}" serve --data "$data" --listen 127.0.0.1 --repsec-port 0 --rdap-port 0 >"$log" 2>&1 &
server=$!
repsec_port= rdap_port=
for _ in $(seq 1 600); do
  repsec_port=$(sed -n 's/.*RepSec listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$log" | head -n 1)
  rdap_port=$(sed -n 's|.*RDAP listening on https://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$log" | head -n 1)
  [ -n "$repsec_port" ] && [ -n "$rdap_port" ] && break
  kill -0 "$server" 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$repsec_port" ] && [ -n "$rdap_port" ] || { echo "repsecd did not start" >&2; cat "$log" >&2; exit 1; }
echo "repsecd (pid $server) on RepSec port $repsec_port, RDAP port $rdap_port; data in $data" >&2

"${attack[@]}" --host 127.0.0.1 --repsec-port "$repsec_port" --rdap-port "$rdap_port" --ca "$data/tls/dev-ca.crt" \
  --token "$token" --principal attack-victim --pid "$server" "$@"

#!/usr/bin/env bash
# REGISTER and VERIFY throughput: one node on SQLite, then one and two nodes on PostgreSQL sharing Redis, all on
# this machine in one run, through the project's load generator (connections spread over the nodes in turn, as a
# TCP load balancer would). Needs Debian's postgresql and redis-server (started here by scripts/test-services.sh).
#
#   bash bench/cluster-bench.sh [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
connections=${2:-50}
work=$(mktemp -d /tmp/repsec-cluster-bench.XXXXXX)
chmod 0755 "$work"   # PostgreSQL runs as its own user below it
export REPSEC_SERVICES_DIR=$work/services REPSEC_PG_PORT=${REPSEC_PG_PORT:-55440} REPSEC_REDIS_PORT=${REPSEC_REDIS_PORT:-56390}
services=$(bash scripts/test-services.sh start)
eval "$services"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  bash scripts/test-services.sh stop
  rm -rf "$work"
}
trap cleanup EXIT

dotnet build -c Release -v q src/RepSec.Server >/dev/null
dotnet build -c Release -v q bench/RepSec.LoadGen >/dev/null
repsecd=src/RepSec.Server/bin/Release/net10.0/repsecd.dll
loadgen=bench/RepSec.LoadGen/bin/Release/net10.0/repsec-loadgen.dll
[ -f "$loadgen" ] || loadgen=$(ls bench/RepSec.LoadGen/bin/Release/net10.0/*LoadGen*.dll | head -n 1)
export RepSec__RateLimits__PerAddressPerSecond=10000000 RepSec__RateLimits__PerAddressBurst=10000000 \
       RepSec__RateLimits__PerPrincipalPerSecond=10000000 RepSec__RateLimits__PerPrincipalBurst=10000000

node() { # node DATA PORT RDAP_PORT: starts repsecd and waits until it listens
  dotnet "$repsecd" --data "$1" --repsec-port "$2" --rdap-port "$3" > "$1-$2.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 300); do grep -q "RepSec listening" "$1-$2.log" && return; sleep 0.1; done
  echo "node on $2 did not start:"; cat "$1-$2.log"; exit 1
}

stop_nodes() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
}

measure() { # measure LABEL SERVERS DATA
  local token
  token=$(dotnet "$repsecd" token issue --data "$3" --principal "bench$RANDOM" --role registrant)
  echo "$1 REGISTER: $(dotnet "$loadgen" --server "$2" --command register --token "$token" --seconds "$seconds" --connections "$connections")"
  echo "$1 VERIFY:   $(dotnet "$loadgen" --server "$2" --command verify --token "$token" --prepare --seconds "$seconds" --connections "$connections")"
}

# One node, SQLite in its data directory.
node "$work/sqlite" 14655 18443
measure "sqlite, 1 node  " 127.0.0.1:14655 "$work/sqlite"
stop_nodes

# PostgreSQL and Redis shared; one node, then two (a fresh database each).
pg_base=$REPSEC_TEST_POSTGRES
for n in 1 2; do
  PGPASSWORD=$(cat "$REPSEC_SERVICES_DIR/password") psql -q -h 127.0.0.1 -p "$REPSEC_PG_PORT" -U repsec -d postgres -c "CREATE DATABASE bench$n"
  export RepSec__Store=postgres RepSec__Postgres="${pg_base/Database=postgres/Database=bench$n}" RepSec__Redis=$REPSEC_TEST_REDIS \
         RepSec__RedisKeyPrefix="bench$n:"
  servers=""
  for i in $(seq "$n"); do
    node "$work/pg$n" $((14655 + i)) $((18443 + i))
    servers="$servers,127.0.0.1:$((14655 + i))"
  done
  measure "postgres, $n node" "${servers#,}" "$work/pg$n"
  stop_nodes
  unset RepSec__Store RepSec__Postgres RepSec__Redis RepSec__RedisKeyPrefix
done

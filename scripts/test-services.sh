#!/usr/bin/env bash
# Starts a throwaway PostgreSQL and Redis on loopback, as processes of their own, for the tests that need them:
#
#   eval "$(bash scripts/test-services.sh start)"    # prints the REPSEC_TEST_POSTGRES / REPSEC_TEST_REDIS exports
#   dotnet test
#   bash scripts/test-services.sh stop
#
# Needs Debian's postgresql and redis-server packages. Everything lives under $REPSEC_SERVICES_DIR
# (default /tmp/repsec-services); PostgreSQL runs as the postgres user when started by root (it refuses root).
set -euo pipefail

dir=${REPSEC_SERVICES_DIR:-/tmp/repsec-services}
pg_port=${REPSEC_PG_PORT:-55432}
redis_port=${REPSEC_REDIS_PORT:-56379}

pg_bin() {
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$found" ] || { echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }
  echo "$found"
}

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  command -v redis-server >/dev/null || { echo "redis-server is not installed (apt-get install redis-server)" >&2; exit 1; }
  local bin password
  bin=$(pg_bin)
  mkdir -p "$dir"
  chmod 0755 "$dir"
  if [ ! -f "$dir/password" ]; then
    (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$dir/password")
  fi
  password=$(cat "$dir/password")

  if [ ! -f "$dir/pg/PG_VERSION" ]; then
    mkdir -p "$dir/pg"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$dir/pg"
    local pwfile
    pwfile=$(mktemp)
    echo "$password" > "$pwfile"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$pwfile"
    as_owner "$bin/initdb" -D "$dir/pg" -U repsec --pwfile="$pwfile" --auth=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
    rm -f "$pwfile"
  fi
  if ! as_owner "$bin/pg_ctl" -D "$dir/pg" status >/dev/null 2>&1; then
    as_owner "$bin/pg_ctl" -D "$dir/pg" -l "$dir/pg/server.log" -w -t 60 \
      -o "-p $pg_port -c listen_addresses=127.0.0.1 -k $dir/pg -c max_connections=300 -c shared_buffers=256MB" start >/dev/null
  fi

  if ! redis-cli -p "$redis_port" -a "$password" --no-auth-warning ping >/dev/null 2>&1; then
    redis-server --port "$redis_port" --bind 127.0.0.1 --requirepass "$password" --daemonize yes \
      --dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --save '' --appendonly no >/dev/null
    for _ in $(seq 50); do
      redis-cli -p "$redis_port" -a "$password" --no-auth-warning ping >/dev/null 2>&1 && break
      sleep 0.1
    done
  fi

  echo "export REPSEC_TEST_POSTGRES='Host=127.0.0.1;Port=$pg_port;Username=repsec;Password=$password;Database=postgres'"
  echo "export REPSEC_TEST_REDIS='127.0.0.1:$redis_port,password=$password'"
}

stop() {
  if [ -f "$dir/pg/PG_VERSION" ]; then
    as_owner "$(pg_bin)/pg_ctl" -D "$dir/pg" -m fast -w stop >/dev/null 2>&1 || true
  fi
  if [ -f "$dir/redis.pid" ]; then
    kill "$(cat "$dir/redis.pid")" 2>/dev/null || true
  fi
  rm -rf "$dir"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac

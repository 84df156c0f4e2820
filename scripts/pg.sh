#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests: loopback only, private socket directory, C.UTF-8,
# fsync off (tests only). Usage: scripts/pg.sh start DIR PORT | restart DIR | stop DIR
# PostgreSQL refuses to run as root, so the cluster runs as the `postgres` user.
set -euo pipefail
cmd=$1
dir=$2
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$cmd" in
  start)
    port=$3
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_pg "$pgbin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1
    fi
    as_pg "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" start >/dev/null
    as_pg "$pgbin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qAt \
      -c "SELECT 1 FROM pg_database WHERE datname='huiyin_test'" | grep -q 1 ||
      as_pg "$pgbin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -q -c "CREATE DATABASE huiyin_test"
    echo "postgresql://postgres@127.0.0.1:$port/huiyin_test"
    ;;
  restart)  # fault tests: the server goes away and comes back on the same port
    as_pg "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -m fast -w -t 60 restart >/dev/null
    ;;
  stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_pg "$pgbin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    ;;
  *) echo "usage: $0 start DIR PORT | restart DIR | stop DIR" >&2; exit 2 ;;
esac

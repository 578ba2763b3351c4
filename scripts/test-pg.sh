#!/usr/bin/env bash
# A throwaway PostgreSQL for the tests: test-pg.sh start|stop|restart DATADIR PORT
# Listens on 127.0.0.1 only, trusts local connections, keeps nothing after stop + rm.
set -euo pipefail
cmd=$1 dir=$2 port=$3
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "$cmd" in
  start)
    if [ ! -f "$dir/PG_VERSION" ]; then
      mkdir -p "$dir"
      [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
      as_pg "$bin/initdb" -D "$dir" -U postgres -A trust --no-sync -E UTF8 >"$dir.initdb.log" 2>&1
    fi
    as_pg "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 30 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=200" start >/dev/null
    ;;
  stop) as_pg "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null ;;
  restart)
    "$0" stop "$dir" "$port"
    "$0" start "$dir" "$port"
    ;;
  *) echo "usage: $0 start|stop|restart DATADIR PORT" >&2; exit 2 ;;
esac

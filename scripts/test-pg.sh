#!/usr/bin/env bash
# A throwaway PostgreSQL for the tests: test-pg.sh start|stop|restart DATADIR PORT
#   test-pg.sh replica DATADIR PORT PRIMARY_PORT   a hot standby streaming from the one on PRIMARY_PORT
# Listens on 127.0.0.1 only, trusts local connections, keeps nothing after stop + rm; fsync off
# unless TIPTOP_PG_FSYNC=on (the benchmarks, where durability is part of what is measured).
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
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=${TIPTOP_PG_FSYNC:-off} -c max_connections=200" start >/dev/null
    ;;
  replica)
    primary_port=$4
    if [ ! -f "$dir/PG_VERSION" ]; then
      mkdir -p "$dir"
      [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
      chmod 700 "$dir"
      # -R writes standby.signal and primary_conninfo: the copy starts as a streaming hot standby.
      # -C -S: a replication slot, so the primary keeps every WAL segment the standby has not had
      # (a busy test run, or a restart of the primary, must not leave it unable to catch up).
      as_pg "$bin/pg_basebackup" -h 127.0.0.1 -p "$primary_port" -U postgres -D "$dir" -R -X stream --no-sync \
        -C -S "standby_$port" >"$dir.basebackup.log" 2>&1
    fi
    "$0" start "$dir" "$port"
    ;;
  stop) as_pg "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null ;;
  restart)
    "$0" stop "$dir" "$port"
    "$0" start "$dir" "$port"
    ;;
  *) echo "usage: $0 start|stop|restart DATADIR PORT | replica DATADIR PORT PRIMARY_PORT" >&2; exit 2 ;;
esac

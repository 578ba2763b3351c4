#!/usr/bin/env bash
# A throwaway Redis for the tests: test-redis.sh start|stop DATADIR PORT
# Listens on 127.0.0.1 only, no persistence; stop waits until the port is closed.
set -euo pipefail
cmd=$1 dir=$2 port=$3
case "$cmd" in
  start)
    mkdir -p "$dir"
    redis-server --bind 127.0.0.1 --port "$port" --dir "$dir" --save '' --appendonly no \
      --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log"
    for _ in $(seq 1 50); do redis-cli -p "$port" ping 2>/dev/null | grep -q PONG && exit 0; sleep 0.1; done
    echo "test-redis: Redis did not start on port $port" >&2; exit 1
    ;;
  stop)
    redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
    for _ in $(seq 1 50); do (echo >/dev/tcp/127.0.0.1/"$port") 2>/dev/null || exit 0; sleep 0.1; done
    echo "test-redis: Redis on port $port did not stop" >&2; exit 1
    ;;
  *) echo "usage: $0 start|stop DATADIR PORT" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# Quick start: build (Debug, AddressSanitizer + UBSan) and run the whole test suite — unit and
# integration tests (CTest/GoogleTest) against SQLite and a PostgreSQL (and a Redis) this script starts, then the
# end-to-end tests (node --test, real axios) against the server on SQLite and on PostgreSQL, and
# through nginx (deploy/nginx.conf) in front of two nodes sharing PostgreSQL and Redis.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
scripts/setup.sh tests
scripts/check-format.sh  # first: a formatting drift fails the run in seconds
(cd tests/e2e && { [ -d node_modules ] && npm ls --silent >/dev/null 2>&1 || npm ci --no-audit --no-fund; })
scripts/build-web.sh --check  # the web apps the browser tests drive, type-checked

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Debug >/dev/null
ninja -C build

free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 20000))
    (echo >/dev/tcp/127.0.0.1/$p) 2>/dev/null || { echo "$p"; return; }
  done
}

work=$(mktemp -d /tmp/tiptop-test.XXXXXX)
chmod 755 "$work"
pg_dir="$work/pg" pg_port=$(free_port)
replica_dir="$work/pg-replica" replica_port=$(free_port)
redis_dir="$work/redis" redis_port=$(free_port)
cleanup() {
  "$root/scripts/test-pg.sh" stop "$replica_dir" "$replica_port" 2>/dev/null || true
  "$root/scripts/test-pg.sh" stop "$pg_dir" "$pg_port" 2>/dev/null || true
  "$root/scripts/test-redis.sh" stop "$redis_dir" "$redis_port" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
scripts/test-pg.sh start "$pg_dir" "$pg_port"
echo "test: PostgreSQL on 127.0.0.1:$pg_port"
scripts/test-pg.sh replica "$replica_dir" "$replica_port" "$pg_port"
echo "test: PostgreSQL hot standby on 127.0.0.1:$replica_port"
scripts/test-redis.sh start "$redis_dir" "$redis_port"
echo "test: Redis on 127.0.0.1:$redis_port"

export TIPTOP_TEST_PG_URL="postgres://postgres@127.0.0.1:$pg_port/postgres"
export TIPTOP_REQUIRE_PG=1
# Lets the reconnect test stop and start the server under the running tests.
export TIPTOP_TEST_PG_CTL="$root/scripts/test-pg.sh %s $pg_dir $pg_port"
export TIPTOP_TEST_PG_REPLICA_URL="postgres://postgres@127.0.0.1:$replica_port/postgres"
export TIPTOP_TEST_PG_REPLICA_CTL="$root/scripts/test-pg.sh %s $replica_dir $replica_port"
export TIPTOP_TEST_REDIS_URL="redis://127.0.0.1:$redis_port/0"
export TIPTOP_TEST_REDIS_CTL="$root/scripts/test-redis.sh %s $redis_dir $redis_port"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

ctest --test-dir build --output-on-failure --timeout 300

export TIPTOP_BIN="$root/build/src/tiptop"
echo "test: end-to-end on SQLite"
(cd tests/e2e && npm test)
echo "test: end-to-end on PostgreSQL"
psql -q -h 127.0.0.1 -p "$pg_port" -U postgres -c "CREATE DATABASE tiptop_e2e" postgres
(cd tests/e2e && TIPTOP_E2E_DATABASE_URL="postgres://postgres@127.0.0.1:$pg_port/tiptop_e2e" npm test)
echo "test: two nodes behind nginx on PostgreSQL and Redis"
psql -q -h 127.0.0.1 -p "$pg_port" -U postgres -c "CREATE DATABASE tiptop_multinode" postgres
(cd tests/e2e && TIPTOP_E2E_DATABASE_URL="postgres://postgres@127.0.0.1:$pg_port/tiptop_multinode" \
  TIPTOP_E2E_REDIS_URL="redis://127.0.0.1:$redis_port/1" node --test multinode/two-nodes.mjs)

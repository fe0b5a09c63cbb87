#!/usr/bin/env bash
# A throw-away PostgreSQL for the benchmarks' shared-storage baseline (P1, PostgresBaseline):
# its own data directory under a temp dir, listening on 127.0.0.1 only, on a port of its own
# (25432: never a system PostgreSQL's 5432, and below Linux's ephemeral port range, so no outgoing
# connection can hold it when the server starts), database and user "bench" (password
# "bench"), PostgreSQL's default durability (fsync on, synchronous_commit on).
#
#   bench/setup-postgres.sh start    initdb (first time) and start; waits until it accepts connections
#   bench/setup-postgres.sh stop     fast shutdown
#   bench/setup-postgres.sh status
#   bench/setup-postgres.sh clean    stop and delete the data directory
#
# Environment: BENCH_PG_PORT (25432), BENCH_PG_DIR (${TMPDIR:-/tmp}/checkpoint-bench-pg).
# Needs the Debian packages: apt-get update && apt-get install -y postgresql
# Run as root, the server runs as the 'postgres' user the package creates (PostgreSQL refuses root).
set -euo pipefail

PORT="${BENCH_PG_PORT:-25432}"
DIR="${BENCH_PG_DIR:-${TMPDIR:-/tmp}/checkpoint-bench-pg}"
DATA="$DIR/data"
LOG="$DIR/server.log"
ACTION="${1:-start}"

bindir() {
  local d
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
    pg_config --bindir
    return
  fi
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$d/initdb" ]; then
      echo "$d"
      return
    fi
  done
  echo "PostgreSQL server binaries not found: install them with" >&2
  echo "  apt-get update && apt-get install -y postgresql" >&2
  exit 1
}

BIN="$(bindir)"

# Runs a server command as the postgres user when we are root, as ourselves otherwise.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "$ACTION" in
  start)
    mkdir -p "$DIR"
    if [ "$(id -u)" = 0 ]; then
      chown postgres: "$DIR"
    fi
    if [ ! -f "$DATA/PG_VERSION" ]; then
      pwfile="$DIR/pwfile"
      echo bench > "$pwfile"
      [ "$(id -u)" = 0 ] && chown postgres: "$pwfile"
      as_owner "$BIN/initdb" -D "$DATA" -U bench --pwfile="$pwfile" -E UTF8 --locale=C \
        --auth-host=scram-sha-256 --auth-local=peer >/dev/null
      rm -f "$pwfile"
    fi
    if as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
      echo "PostgreSQL already running on 127.0.0.1:$PORT ($DATA)"
    else
      as_owner "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $PORT -c unix_socket_directories=$DIR" start >/dev/null
    fi
    if ! PGPASSWORD=bench "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U bench -d postgres -Atqc \
        "SELECT 1 FROM pg_database WHERE datname = 'bench'" | grep -q 1; then
      PGPASSWORD=bench "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U bench bench
    fi
    settings="$(PGPASSWORD=bench "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U bench -d bench -Atqc \
      "SELECT string_agg(name || '=' || setting, ', ' ORDER BY name) FROM pg_settings
       WHERE name IN ('fsync', 'synchronous_commit', 'wal_sync_method', 'shared_buffers', 'listen_addresses')")"
    echo "PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') ready: jdbc:postgresql://127.0.0.1:$PORT/bench"
    echo "  user bench, password bench; data $DATA; log $LOG"
    echo "  $settings"
    ;;
  stop)
    if [ -f "$DATA/PG_VERSION" ]; then
      as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w stop || true
    fi
    ;;
  status)
    as_owner "$BIN/pg_ctl" -D "$DATA" status
    ;;
  clean)
    if [ -f "$DATA/PG_VERSION" ]; then
      as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$DIR"
    echo "removed $DIR"
    ;;
  *)
    echo "usage: $0 start|stop|status|clean" >&2
    exit 2
    ;;
esac

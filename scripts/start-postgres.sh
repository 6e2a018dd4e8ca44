#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 cluster on 127.0.0.1:54329 for the PostgreSQL test run
# and prints its URL as the last stdout line. Idempotent: if it already runs, only prints.
# The data dir lives in /tmp (not the clone) so the `postgres` OS user can reach it
# whatever the clone's permissions; initdb refuses to run as root.
set -euo pipefail
PORT=${PDOP_PG_PORT:-54329}
PGDIR=${PDOP_PG_DIR:-/tmp/pdop-pg-$PORT}
BIN=/usr/lib/postgresql/15/bin
URL="postgres://pdop:pdop@127.0.0.1:$PORT/pdop_test"
as_pg() { runuser -u postgres -- "$@"; }

if ! as_pg "$BIN/pg_ctl" -D "$PGDIR/data" status >/dev/null 2>&1; then
  mkdir -p "$PGDIR" && chown postgres:postgres "$PGDIR" && chmod 700 "$PGDIR"
  # TCP logins need the password (SCRAM, as in production); the socket is trusted for setup.
  if [[ ! -s $PGDIR/data/PG_VERSION ]]; then
    as_pg "$BIN/initdb" -D "$PGDIR/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --no-locale >"$PGDIR/initdb.log"
  fi
  # Loopback TCP only; the socket goes in PGDIR so nothing else on the machine is touched.
  as_pg "$BIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $PGDIR -c fsync=off -c max_connections=200" >/dev/null
fi

psql_su() { as_pg psql -h "$PGDIR" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA "$@"; }
# Create role and database only if missing, so reruns are harmless.
[[ $(psql_su -c "select 1 from pg_roles where rolname='pdop'") == 1 ]] ||
  psql_su -c "create role pdop login createrole password 'pdop'"
[[ $(psql_su -c "select 1 from pg_database where datname='pdop_test'") == 1 ]] ||
  psql_su -c "create database pdop_test owner pdop"
echo "$URL"

#!/usr/bin/env bash
# Stops the throwaway cluster from start-postgres.sh and deletes its data (it is throwaway).
set -euo pipefail
PORT=${PDOP_PG_PORT:-54329}
PGDIR=${PDOP_PG_DIR:-/tmp/pdop-pg-$PORT}
if [[ -d $PGDIR/data ]]; then
  runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$PGDIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$PGDIR"
fi
echo "postgres on port $PORT stopped"

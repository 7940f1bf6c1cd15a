#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 cluster on 127.0.0.1 for the postgres storage tests and prints
# FERRY_POSTGRES_* lines on stdout. TCP logins use scram-sha-256 passwords; the admin socket in the data dir is
# trust-only. fsync is off: the data is disposable. Runs as the OS user postgres (it refuses to run as root).
# TLS is on with a throwaway CA (FERRY_POSTGRES_CA); the role FERRY_POSTGRES_TLS_USER may log in only over TLS
# (pg_hba `hostnossl ... reject`), so a test logged in as it knows its connection is encrypted.
# Env: PEERS_DIR (required unless PG_DIR is set), PG_DIR (default $PEERS_DIR/postgres), PG_PORT (default: 55432 or the next free port),
# PG_KEEP=1 restarts an existing cluster in PG_DIR without wiping it (used by the store-failure test).
set -euo pipefail
PGBIN=/usr/lib/postgresql/15/bin
D=${PG_DIR:-$PEERS_DIR/postgres}
. "$(dirname "$0")/../lib.sh"
as_pg() { runuser -u postgres -- "$@"; }
# The server runs as postgres, which must be able to traverse into $D (mktemp dirs are 0700).
mkdir -p "$(dirname "$D")" && chmod a+x "$(dirname "$D")"
if [ "${PG_KEEP:-0}" != 1 ]; then
  if [ -f "$D/data/postmaster.pid" ]; then as_pg $PGBIN/pg_ctl -D "$D/data" -m immediate -w stop >&2 || true; fi
  rm -rf "$D"
  install -d -o postgres -g postgres "$D"
  as_pg $PGBIN/initdb -D "$D/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 -E UTF8 \
    --locale=C.UTF-8 --no-sync >"$D/initdb.log" 2>&1
  # First match wins: the TLS-only role never gets a plaintext login.
  { echo 'hostnossl all ferry_tls all reject'; cat "$D/data/pg_hba.conf"; } > "$D/pg_hba.new"
  mv "$D/pg_hba.new" "$D/data/pg_hba.conf" && chown postgres:postgres "$D/data/pg_hba.conf"
fi
make_tls_cert "$D/tls" postgres:postgres
# A restart (PG_KEEP=1) comes back on the port the cluster first got.
if [ "${PG_KEEP:-0}" = 1 ] && [ -z "${PG_PORT:-}" ] && [ -f "$D/port" ]; then PORT=$(cat "$D/port"); else PORT=${PG_PORT:-$(free_port 55432)}; fi
echo "$PORT" > "$D/port"
as_pg $PGBIN/pg_ctl -D "$D/data" -l "$D/log" -w -t 30 -o "-p $PORT -k $D -c listen_addresses=127.0.0.1 \
  -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 \
  -c ssl=on -c ssl_cert_file=$D/tls/server.crt -c ssl_key_file=$D/tls/server.key" start >&2
if [ "${PG_KEEP:-0}" != 1 ]; then
  # CREATEDB: each test run makes its own database, so concurrent runs never collide.
  psql -h "$D" -p "$PORT" -U postgres -v ON_ERROR_STOP=1 -q \
    -c "CREATE ROLE ferry LOGIN CREATEDB PASSWORD 'ferrypw'" -c "CREATE DATABASE ferry OWNER ferry" \
    -c "CREATE ROLE ferry_tls LOGIN CREATEDB PASSWORD 'ferrypw'" >&2
fi
echo "FERRY_POSTGRES_HOST=127.0.0.1"
echo "FERRY_POSTGRES_PORT=$PORT"
echo "FERRY_POSTGRES_USER=ferry"
echo "FERRY_POSTGRES_PASSWORD=ferrypw"
echo "FERRY_POSTGRES_DATABASE=ferry"
echo "FERRY_POSTGRES_TLS_USER=ferry_tls"
echo "FERRY_POSTGRES_CA=$D/tls/ca.crt"

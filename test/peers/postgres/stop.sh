#!/usr/bin/env bash
# Stops the cluster started by start.sh (fast shutdown: open sessions are disconnected). PG_DIR as in start.sh.
set -euo pipefail
D=${PG_DIR:-$PEERS_DIR/postgres}
[ -f "$D/data/postmaster.pid" ] || exit 0
runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$D/data" -m fast -w -t 30 stop >&2

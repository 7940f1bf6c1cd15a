#!/usr/bin/env bash
# Stops the server started by start.sh, by its pid file (waits up to 30 s; fails when it is still running).
# MARIADB_DIR as in start.sh.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
D=${MARIADB_DIR:-$PEERS_DIR/mariadb}
stop_pidfile -t 300 "$D/mariadbd.pid"

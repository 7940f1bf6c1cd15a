#!/usr/bin/env bash
# Stops the server started by start.sh, by its pid file. MARIADB_DIR as in start.sh.
set -euo pipefail
D=${MARIADB_DIR:-$PEERS_DIR/mariadb}
[ -f "$D/mariadbd.pid" ] || exit 0
PID=$(cat "$D/mariadbd.pid")
kill "$PID" 2>/dev/null || true
for _ in $(seq 1 300); do [[ "$(ps -o stat= -p "$PID" 2>/dev/null)" =~ ^[^Z] ]] || exit 0; sleep 0.1; done
echo "mariadbd $PID did not stop" >&2
exit 1

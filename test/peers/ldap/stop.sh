#!/usr/bin/env bash
# Stops the slapd started by start.sh (by its pid file) and waits until it is gone (or a zombie).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
: "${PEERS_DIR:?PEERS_DIR must be set}"
stop_pidfile "$PEERS_DIR/ldap/slapd.pid"

#!/usr/bin/env bash
# Stops the etcd servers started by start.sh (by their pid files) and waits until they are gone (or zombies).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
: "${PEERS_DIR:?PEERS_DIR must be set}"
stop_pidfile "$PEERS_DIR/etcd/plain/etcd.pid" "$PEERS_DIR/etcd/secure/etcd.pid"

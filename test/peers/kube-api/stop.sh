#!/usr/bin/env bash
# Stops the kube-api simulation started by start.sh (by its pid file) and waits until it is gone (or a zombie).
set -euo pipefail
: "${PEERS_DIR:?PEERS_DIR must be set}"
PIDFILE="$PEERS_DIR/kube-api/kube-api.pid"
[ -f "$PIDFILE" ] || exit 0
PID=$(cat "$PIDFILE")
kill "$PID" 2>/dev/null || true
for _ in $(seq 1 50); do
  STAT=$(ps -o stat= -p "$PID" 2>/dev/null || true)
  [[ -z "$STAT" || "$STAT" == Z* ]] && break
  sleep 0.1
done
rm -f "$PIDFILE"

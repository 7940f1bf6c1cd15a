#!/usr/bin/env bash
# Stops the etcd servers started by start.sh (by their pid files) and waits until they are gone (or zombies).
set -euo pipefail
: "${PEERS_DIR:?PEERS_DIR must be set}"
for PIDFILE in "$PEERS_DIR/etcd/plain/etcd.pid" "$PEERS_DIR/etcd/secure/etcd.pid"; do
  [ -f "$PIDFILE" ] || continue
  PID=$(cat "$PIDFILE")
  kill "$PID" 2>/dev/null || true
  for _ in $(seq 1 50); do
    STAT=$(ps -o stat= -p "$PID" 2>/dev/null || true)
    [[ -z "$STAT" || "$STAT" == Z* ]] && break
    sleep 0.1
  done
  rm -f "$PIDFILE"
done

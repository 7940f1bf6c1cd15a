#!/usr/bin/env bash
# Stops the upstream OpenID Provider started by start.sh (by its pid file only).
dir="${PEERS_DIR:-/tmp}/oidc-upstream"
pidfile="$dir/op.pid"
[ -f "$pidfile" ] || exit 0
pid="$(cat "$pidfile")"
kill "$pid" 2>/dev/null || true
for _ in $(seq 1 50); do
  [[ "$(ps -o stat= -p "$pid" 2>/dev/null)" =~ ^[^Z] ]] || break
  sleep 0.1
done
rm -f "$pidfile"

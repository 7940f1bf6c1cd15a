#!/usr/bin/env bash
# Stops the samlify IdP started by start.sh (by its pid file).
set -euo pipefail
F="${PEERS_DIR:?PEERS_DIR must be set}/saml-idp/idp.pid"
[ -f "$F" ] || exit 0
P=$(cat "$F")
kill "$P" 2>/dev/null || true
for _ in $(seq 1 50); do [[ "$(ps -o stat= -p "$P" 2>/dev/null)" =~ ^[^Z] ]] || break; sleep 0.1; done
rm -f "$F"

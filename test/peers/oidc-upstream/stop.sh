#!/usr/bin/env bash
# Stops the upstream OpenID Provider started by start.sh (by its pid file only).
. "$(dirname "$0")/../lib.sh"
stop_pidfile "${PEERS_DIR:-/tmp}/oidc-upstream/op.pid"

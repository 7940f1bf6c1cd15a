#!/usr/bin/env bash
# Stops the SimpleSAMLphp `php -S` started by start.sh (by its pid file).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
stop_pidfile "${PEERS_DIR:?PEERS_DIR must be set}/simplesamlphp/php.pid"

#!/usr/bin/env bash
# Installs MariaDB (server and client) for the mysql storage tests, only when missing. Idempotent; needs root.
# policy-rc.d keeps apt from starting the system service: the tests run their own server from a temp dir (start.sh).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
need=()
command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] || need+=(mariadb-server)
command -v mariadb >/dev/null 2>&1 || need+=(mariadb-client)
apt_install_missing "${need[@]}"

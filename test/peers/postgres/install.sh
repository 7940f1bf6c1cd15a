#!/usr/bin/env bash
# Installs PostgreSQL 15 for the postgres storage tests, only when missing. Idempotent; needs root.
# policy-rc.d keeps apt from starting the system cluster: the tests run their own from a temp dir (start.sh).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
need=()
[ -x /usr/lib/postgresql/15/bin/pg_ctl ] || need+=(postgresql-15)
command -v psql >/dev/null 2>&1 || need+=(postgresql-client-15)
apt_install_missing "${need[@]}"

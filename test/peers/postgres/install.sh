#!/usr/bin/env bash
# Installs PostgreSQL 15 for the postgres storage tests, only when missing. Idempotent; needs root.
# policy-rc.d keeps apt from starting the system cluster: the tests run their own from a temp dir (start.sh).
set -euo pipefail
[ -x /usr/lib/postgresql/15/bin/pg_ctl ] && command -v psql >/dev/null 2>&1 && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "missing Debian package: postgresql-15 (run as root, or: apt-get install postgresql-15)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
[ -x /usr/sbin/policy-rc.d ] || { printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; }
echo "installing Debian packages: postgresql-15" >&2
exec 9>/tmp/ferry-apt.lock
flock 9
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends postgresql-15 postgresql-client-15 >/dev/null

#!/usr/bin/env bash
# Installs Debian's SimpleSAMLphp 1.19 and the PHP pieces it needs (php-xml, php-mbstring are not pulled in by the
# package) when missing. Idempotent; needs root. apt is kept from starting the apache2 it drags in.
set -euo pipefail
need=()
[ -d /usr/share/simplesamlphp/www ] || need+=(simplesamlphp)
command -v php >/dev/null 2>&1 || need+=(php-cli)
php -m 2>/dev/null | grep -qi '^dom$' || need+=(php-xml)
php -m 2>/dev/null | grep -qi '^mbstring$' || need+=(php-mbstring)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v curl >/dev/null 2>&1 || need+=(curl)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "missing Debian packages: ${need[*]} (run as root, or: apt-get install ${need[*]})" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
[ -x /usr/sbin/policy-rc.d ] || { printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; }
echo "installing Debian packages: ${need[*]}" >&2
exec 9>/tmp/ferry-apt.lock
flock 9
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null

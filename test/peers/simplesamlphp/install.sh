#!/usr/bin/env bash
# Installs Debian's SimpleSAMLphp 1.19 and the PHP pieces it needs (php-xml, php-mbstring are not pulled in by the
# package) when missing. Idempotent; needs root. apt is kept from starting the apache2 it drags in.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
need=()
[ -d /usr/share/simplesamlphp/www ] || need+=(simplesamlphp)
command -v php >/dev/null 2>&1 || need+=(php-cli)
php -m 2>/dev/null | grep -qi '^dom$' || need+=(php-xml)
php -m 2>/dev/null | grep -qi '^mbstring$' || need+=(php-mbstring)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v curl >/dev/null 2>&1 || need+=(curl)
apt_install_missing "${need[@]}"

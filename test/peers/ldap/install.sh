#!/usr/bin/env bash
# Installs OpenLDAP (slapd) and its command-line tools for the LDAP connector tests, only when missing.
# Idempotent; needs root (as on CI). The preseed stops the package from creating a system directory, and
# policy-rc.d keeps apt from starting a system slapd: the tests run their own from a temp dir (start.sh).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
need=()
command -v slapd >/dev/null 2>&1 || [ -x /usr/sbin/slapd ] || need+=(slapd)
command -v ldapmodify >/dev/null 2>&1 || need+=(ldap-utils)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
APT_DEBCONF="slapd slapd/no_configuration boolean true" apt_install_missing "${need[@]}"

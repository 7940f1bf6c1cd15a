#!/usr/bin/env bash
# The samlify IdP needs Node (present), its npm devDependencies (samlify, @authenio/samlify-node-xmllint; installed
# by `npm install`) and openssl for the throwaway signing key. Idempotent: does nothing when all are there.
set -euo pipefail
cd "$(dirname "$0")/../../.."
[ -d node_modules/samlify ] && [ -d node_modules/@authenio/samlify-node-xmllint ] || {
  echo "saml-idp: npm devDependencies missing (run npm install)" >&2
  exit 1
}
command -v openssl >/dev/null 2>&1 && exit 0
if [ "$(id -u)" != 0 ]; then echo "missing Debian package: openssl (run as root)" >&2; exit 1; fi
export DEBIAN_FRONTEND=noninteractive
[ -x /usr/sbin/policy-rc.d ] || { printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; }
exec 9>/tmp/ferry-apt.lock
flock 9
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends openssl >/dev/null

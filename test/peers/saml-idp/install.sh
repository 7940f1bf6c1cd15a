#!/usr/bin/env bash
# The samlify IdP needs Node (present), its npm devDependencies (samlify, @authenio/samlify-node-xmllint; installed
# by `npm install`) and openssl for the throwaway signing key. Idempotent: does nothing when all are there.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../../.."
[ -d node_modules/samlify ] && [ -d node_modules/@authenio/samlify-node-xmllint ] || {
  echo "saml-idp: npm devDependencies missing (run npm install)" >&2
  exit 1
}
need=()
command -v openssl >/dev/null 2>&1 || need+=(openssl)
apt_install_missing "${need[@]}"

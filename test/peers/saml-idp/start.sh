#!/usr/bin/env bash
# Starts the samlify IdP (idp.mjs) on 127.0.0.1:${FERRY_SAML_IDP_PORT:-15580} under $PEERS_DIR/saml-idp with a fresh
# signing key, waits for its metadata, and prints the FERRY_SAML_IDP_* variables on stdout (logs go to idp.log).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
D="${PEERS_DIR:?PEERS_DIR must be set}/saml-idp"
PORT="${FERRY_SAML_IDP_PORT:-15580}"
BASE="http://127.0.0.1:$PORT"
bash "$HERE/stop.sh" >/dev/null 2>&1 || true
rm -rf "$D" && mkdir -p "$D"
openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=ferry-test-saml-idp" \
  -keyout "$D/idp.key" -out "$D/idp.crt" >/dev/null 2>&1
cd "$ROOT"
PORT="$PORT" IDP_KEY="$D/idp.key" IDP_CERT="$D/idp.crt" SP_ENTITY_ID="urn:ferry:test-sp" \
  nohup node "$HERE/idp.mjs" >"$D/idp.log" 2>&1 &
echo $! >"$D/idp.pid"
for _ in $(seq 1 100); do
  curl -sf -o /dev/null "$BASE/metadata" && break
  sleep 0.1
done
curl -sf -o /dev/null "$BASE/metadata" || { echo "saml-idp did not start; see $D/idp.log" >&2; cat "$D/idp.log" >&2; exit 1; }
echo "FERRY_SAML_IDP_URL=$BASE"
echo "FERRY_SAML_IDP_SSO_URL=$BASE/sso"
echo "FERRY_SAML_IDP_ENTITY_ID=$BASE/metadata"
echo "FERRY_SAML_IDP_CA=$D/idp.crt"
echo "FERRY_SAML_IDP_SP_ENTITY_ID=urn:ferry:test-sp"

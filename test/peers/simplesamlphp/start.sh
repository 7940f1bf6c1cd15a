#!/usr/bin/env bash
# Starts Debian's SimpleSAMLphp 1.19 as a SAML IdP under `php -S` on 127.0.0.1:${FERRY_SAML_SSP_PORT:-15590}, with
# its whole config in $PEERS_DIR/simplesamlphp (SIMPLESAMLPHP_CONFIG_DIR), exampleauth:UserPass users and a fresh
# signing key; signs both the Response and the Assertion (RSA-SHA256, xmlseclibs: a different XML-DSig stack from
# samlify's xml-crypto). It trusts one SP, urn:ferry:test-sp, whose ACS is fixed at
# http://127.0.0.1:<a free port, or FERRY_SAML_SSP_ACS_PORT>/dex/callback: SimpleSAMLphp only posts to ACS URLs listed in
# its metadata, so the tests that run a real Ferry against it listen on that port. Prints FERRY_SAML_SSP_* on stdout.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
D="${PEERS_DIR:?PEERS_DIR must be set}/simplesamlphp"
PORT="${FERRY_SAML_SSP_PORT:-15590}"
# A free port chosen now, unless given: the tests start Ferry on it (FERRY_SAML_SSP_ACS_URL below).
ACS_PORT="${FERRY_SAML_SSP_ACS_PORT:-$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")}"
BASE="http://127.0.0.1:$PORT"
ACS="http://127.0.0.1:$ACS_PORT/dex/callback"
SP="urn:ferry:test-sp"
bash "$HERE/stop.sh" >/dev/null 2>&1 || true
rm -rf "$D" && mkdir -p "$D/config" "$D/metadata" "$D/cert" "$D/log" "$D/tmp" "$D/sessions"
openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=ferry-test-simplesamlphp" \
  -keyout "$D/cert/idp.key" -out "$D/cert/idp.crt" >/dev/null 2>&1
cat >"$D/config/config.php" <<PHP
<?php
require '/etc/simplesamlphp/config.php';
\$config = array_merge(\$config, [
  'baseurlpath' => '$BASE/',
  'certdir' => '$D/cert/', 'loggingdir' => '$D/log/', 'datadir' => '$D/tmp/', 'tempdir' => '$D/tmp/',
  'metadatadir' => '$D/metadata/',
  'secretsalt' => 'ferry-test-salt-not-secret',
  'auth.adminpassword' => 'ferry-test-admin',
  'technicalcontact_email' => 'test@example.org',
  'logging.handler' => 'file', 'logging.level' => SimpleSAML\Logger::INFO,
  'enable.saml20-idp' => true,
  'module.enable' => ['exampleauth' => true, 'core' => true, 'saml' => true, 'admin' => true],
  'session.cookie.secure' => false, 'session.cookie.samesite' => null,
]);
PHP
cat >"$D/config/authsources.php" <<'PHP'
<?php
$config = [
  'admin' => ['core:AdminPassword'],
  'users' => ['exampleauth:UserPass',
    'janedoe:foo' => ['uid' => ['janedoe'], 'email' => ['janedoe@example.org'], 'name' => ['Jane Doe'], 'groups' => ['admins', 'developers']],
    'johndoe:bar' => ['uid' => ['johndoe'], 'email' => ['johndoe@example.org'], 'name' => ['John Doe'], 'groups' => ['developers']],
    'nogroups:baz' => ['uid' => ['nogroups'], 'email' => ['nogroups@example.org'], 'name' => ['No Groups']],
  ],
];
PHP
cat >"$D/metadata/saml20-idp-hosted.php" <<PHP
<?php
\$metadata['$BASE/saml2/idp/metadata.php'] = [
  'host' => '__DEFAULT__',
  'privatekey' => 'idp.key', 'certificate' => 'idp.crt',
  'auth' => 'users',
  'signature.algorithm' => 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  'attributes.NameFormat' => 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic',
  'authproc' => [
    100 => ['class' => 'saml:AttributeNameID', 'attribute' => 'uid',
            'Format' => 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent'],
  ],
];
PHP
cat >"$D/metadata/saml20-sp-remote.php" <<PHP
<?php
\$metadata['$SP'] = [
  'AssertionConsumerService' => '$ACS',
  'NameIDFormat' => 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
  'saml20.sign.assertion' => true,
  'saml20.sign.response' => true,
];
PHP
cd /usr/share/simplesamlphp/www
SIMPLESAMLPHP_CONFIG_DIR="$D/config" nohup php -d session.save_path="$D/sessions" -d display_errors=stderr \
  -S "127.0.0.1:$PORT" -t /usr/share/simplesamlphp/www >"$D/php.log" 2>&1 &
echo $! >"$D/php.pid"
for _ in $(seq 1 100); do
  curl -sf -o /dev/null "$BASE/saml2/idp/metadata.php" && break
  sleep 0.1
done
curl -sf -o /dev/null "$BASE/saml2/idp/metadata.php" || { echo "simplesamlphp did not start; see $D/php.log" >&2; exit 1; }
echo "FERRY_SAML_SSP_URL=$BASE"
echo "FERRY_SAML_SSP_SSO_URL=$BASE/saml2/idp/SSOService.php"
echo "FERRY_SAML_SSP_ENTITY_ID=$BASE/saml2/idp/metadata.php"
echo "FERRY_SAML_SSP_CA=$D/cert/idp.crt"
echo "FERRY_SAML_SSP_SP_ENTITY_ID=$SP"
echo "FERRY_SAML_SSP_ACS_URL=$ACS"

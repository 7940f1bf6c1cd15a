#!/usr/bin/env bash
# Starts a throwaway OpenLDAP (slapd) for the LDAP connector tests, on loopback only, under $PEERS_DIR/ldap:
#   ldap://127.0.0.1:<port>   plain LDAP and StartTLS
#   ldaps://127.0.0.1:<sport> LDAPS
# with a private CA, a server certificate for 127.0.0.1/localhost, a client certificate (slapd runs with
# `TLSVerifyClient try`: no certificate is fine, a certificate from an unknown CA ends the handshake) and a second,
# unrelated CA for negative tests. Data: test/fixtures/ldap/seed.ldif, loaded offline with slapadd.
# Prints KEY=VALUE lines on stdout (nothing else); logs go to stderr and $D/slapd.log.
# Ports default to 10389/10636 (LDAP_PORT/LDAPS_PORT override); the next free ones are used when taken.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
: "${PEERS_DIR:?PEERS_DIR must be set (scripts/test.mjs sets it)}"
D="$PEERS_DIR/ldap"
SLAPD=$(command -v slapd || echo /usr/sbin/slapd)
SLAPPASSWD=$(command -v slappasswd || echo /usr/sbin/slappasswd)
SLAPADD=$(command -v slapadd || echo /usr/sbin/slapadd)
[ -x "$SLAPD" ] || { echo "slapd is missing: run test/peers/ldap/install.sh" >&2; exit 1; }

bash "$(dirname "$0")/stop.sh" >/dev/null 2>&1 || true
rm -rf "$D"
mkdir -p "$D/db" "$D/tls"

is_listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  local p=$1
  while is_listening "$p"; do p=$((p + 1)); done
  echo "$p"
}
PORT=$(free_port "${LDAP_PORT:-10389}")
SPORT=$(free_port "${LDAPS_PORT:-10636}")
[ "$SPORT" = "$PORT" ] && SPORT=$(free_port $((PORT + 1)))

# --- certificates (EC P-256: fast to generate) ---
T="$D/tls"
mkcert() { # name subject issuer-name ext
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "$2" \
    -keyout "$T/$1.key" -out "$T/$1.csr" 2>/dev/null
  printf '%s\n' "$4" > "$T/$1.ext"
  openssl x509 -req -in "$T/$1.csr" -CA "$T/$3.crt" -CAkey "$T/$3.key" -CAcreateserial -days 2 \
    -extfile "$T/$1.ext" -out "$T/$1.crt" 2>/dev/null
}
mkca() { # name subject
  openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "$2" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout "$T/$1.key" -out "$T/$1.crt" 2>/dev/null
}
mkca ca "/CN=Ferry test LDAP CA"
mkca other-ca "/CN=Ferry unrelated CA"
mkcert server "/CN=127.0.0.1" ca "subjectAltName=IP:127.0.0.1,DNS:localhost
extendedKeyUsage=serverAuth"
mkcert client "/CN=ferry-client" ca "extendedKeyUsage=clientAuth"
mkcert other-client "/CN=stranger" other-ca "extendedKeyUsage=clientAuth"

cat > "$D/slapd.conf" <<CONF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile  $D/slapd.pid
argsfile $D/slapd.args
TLSCACertificateFile  $T/ca.crt
TLSCertificateFile    $T/server.crt
TLSCertificateKeyFile $T/server.key
TLSVerifyClient try
database mdb
maxsize 104857600
suffix "dc=example,dc=org"
rootdn "cn=admin,dc=example,dc=org"
rootpw admin
directory $D/db
index objectClass,uid,mail,member,memberUid,cn eq
access to attrs=userPassword by self write by anonymous auth by * none
access to * by * read
CONF

sed "s|HASHED_PW|$("$SLAPPASSWD" -s hashed-pw)|" "$ROOT/test/fixtures/ldap/seed.ldif" > "$D/seed.ldif"
"$SLAPADD" -q -f "$D/slapd.conf" -l "$D/seed.ldif" >&2
"$SLAPD" -f "$D/slapd.conf" -h "ldap://127.0.0.1:$PORT/ ldaps://127.0.0.1:$SPORT/" >&2

for _ in $(seq 1 100); do
  ldapsearch -x -H "ldap://127.0.0.1:$PORT" -b "" -s base >/dev/null 2>&1 && break
  sleep 0.1
done
ldapsearch -x -H "ldap://127.0.0.1:$PORT" -b "" -s base >/dev/null 2>&1 || { echo "slapd did not answer on $PORT" >&2; exit 1; }
echo "slapd up (pid $(cat "$D/slapd.pid")) on ldap $PORT, ldaps $SPORT" >&2

echo "FERRY_LDAP_HOST=127.0.0.1:$PORT"
echo "FERRY_LDAPS_HOST=127.0.0.1:$SPORT"
echo "FERRY_LDAP_CA=$T/ca.crt"
echo "FERRY_LDAP_CLIENT_CERT=$T/client.crt"
echo "FERRY_LDAP_CLIENT_KEY=$T/client.key"
echo "FERRY_LDAP_OTHER_CA=$T/other-ca.crt"
echo "FERRY_LDAP_OTHER_CLIENT_CERT=$T/other-client.crt"
echo "FERRY_LDAP_OTHER_CLIENT_KEY=$T/other-client.key"
echo "FERRY_LDAP_ADMIN_DN=cn=admin,dc=example,dc=org"
echo "FERRY_LDAP_ADMIN_PW=admin"

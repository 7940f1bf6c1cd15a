#!/usr/bin/env bash
# Starts two throwaway single-node etcd 3.4 servers for the etcd storage tests, on loopback only, under
# $PEERS_DIR/etcd:
#   plain  http://127.0.0.1:<port>    no TLS, no auth (conformance suite, replica flows)
#   secure https://127.0.0.1:<sport>  TLS with a private CA, client certificates required, auth enabled with user
#                                     `ferry` (read-write on keys under `ferry/`) and `root`
# Prints KEY=VALUE lines on stdout (nothing else); logs go to stderr and $D/*/etcd.log.
# Ports default to 52379 (+1 peer) and 52381 (+1 peer); ETCD_PORT/ETCD_TLS_PORT override; the next free ones are
# used when taken.
set -euo pipefail
: "${PEERS_DIR:?PEERS_DIR must be set (scripts/test.mjs sets it)}"
D="$PEERS_DIR/etcd"
command -v etcd >/dev/null 2>&1 || { echo "etcd is missing: run test/peers/etcd/install.sh" >&2; exit 1; }
command -v etcdctl >/dev/null 2>&1 || { echo "etcdctl is missing: run test/peers/etcd/install.sh" >&2; exit 1; }

bash "$(dirname "$0")/stop.sh" >/dev/null 2>&1 || true
rm -rf "$D"
mkdir -p "$D/plain" "$D/secure" "$D/tls"

is_listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_pair() { # two consecutive free ports from $1
  local p=$1
  while is_listening "$p" || is_listening $((p + 1)); do p=$((p + 2)); done
  echo "$p"
}
PORT=$(free_pair "${ETCD_PORT:-52379}")
SPORT=$(free_pair "${ETCD_TLS_PORT:-$((PORT + 2))}")

# --- certificates (EC P-256) ---
T="$D/tls"
openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "/CN=Ferry test etcd CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -keyout "$T/ca.key" -out "$T/ca.crt" 2>/dev/null
mkcert() { # name subject ext
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "$2" \
    -keyout "$T/$1.key" -out "$T/$1.csr" 2>/dev/null
  printf '%s\n' "$3" > "$T/$1.ext"
  openssl x509 -req -in "$T/$1.csr" -CA "$T/ca.crt" -CAkey "$T/ca.key" -CAcreateserial -days 2 \
    -extfile "$T/$1.ext" -out "$T/$1.crt" 2>/dev/null
}
mkcert server "/CN=etcd.ferry.test" "subjectAltName=IP:127.0.0.1,DNS:etcd.ferry.test
extendedKeyUsage=serverAuth,clientAuth"
mkcert client "/CN=ferry" "extendedKeyUsage=clientAuth"

start_etcd() { # dir client-port scheme extra-args...
  local dir=$1 cp=$2 scheme=$3
  shift 3
  nohup etcd --name peer0 --data-dir "$dir/data" \
    --listen-client-urls "$scheme://127.0.0.1:$cp" --advertise-client-urls "$scheme://127.0.0.1:$cp" \
    --listen-peer-urls "http://127.0.0.1:$((cp + 1))" --initial-advertise-peer-urls "http://127.0.0.1:$((cp + 1))" \
    --initial-cluster "peer0=http://127.0.0.1:$((cp + 1))" --initial-cluster-state new \
    --unsafe-no-fsync --log-level warn --logger zap "$@" > "$dir/etcd.log" 2>&1 < /dev/null &
  echo $! > "$dir/etcd.pid"
}
start_etcd "$D/plain" "$PORT" http
start_etcd "$D/secure" "$SPORT" https --cert-file "$T/server.crt" --key-file "$T/server.key" \
  --client-cert-auth --trusted-ca-file "$T/ca.crt"

PLAIN=(env ETCDCTL_API=3 etcdctl --endpoints "127.0.0.1:$PORT" --dial-timeout 1s)
SECURE=(env ETCDCTL_API=3 etcdctl --endpoints "https://127.0.0.1:$SPORT" --dial-timeout 1s
  --cacert "$T/ca.crt" --cert "$T/server.crt" --key "$T/server.key")
wait_up() {
  for _ in $(seq 1 100); do "$@" endpoint health >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "etcd did not answer: $*" >&2
  return 1
}
wait_up "${PLAIN[@]}" || { tail -5 "$D/plain/etcd.log" >&2; exit 1; }
wait_up "${SECURE[@]}" || { tail -5 "$D/secure/etcd.log" >&2; exit 1; }

# Auth on the secure server: root (required to enable auth) and a user limited to the `ferry/` prefix.
ROOT_PW="root-$RANDOM$RANDOM"
USER_PW="ferry-$RANDOM$RANDOM"
{
  "${SECURE[@]}" user add "root:$ROOT_PW"
  "${SECURE[@]}" user grant-role root root
  "${SECURE[@]}" user add "ferry:$USER_PW"
  "${SECURE[@]}" role add ferry-rw
  "${SECURE[@]}" role grant-permission ferry-rw readwrite ferry/ --prefix=true
  "${SECURE[@]}" user grant-role ferry ferry-rw
  "${SECURE[@]}" auth enable
} >/dev/null 2>"$D/etcdctl.log" || { cat "$D/etcdctl.log" >&2; exit 1; }

echo "etcd up: http://127.0.0.1:$PORT and https://127.0.0.1:$SPORT" >&2
echo "FERRY_ETCD_ENDPOINTS=http://127.0.0.1:$PORT"
echo "FERRY_ETCD_TLS_ENDPOINTS=https://127.0.0.1:$SPORT"
echo "FERRY_ETCD_TLS_DIR=$T"
echo "FERRY_ETCD_USERNAME=ferry"
echo "FERRY_ETCD_PASSWORD=$USER_PW"

#!/usr/bin/env bash
# Starts the SIMULATED Kubernetes API server (kube-api.mjs: a small Node server implementing only the calls Ferry's
# `kubernetes` storage makes; not a real kube-apiserver) on loopback over HTTPS with a private CA and a bearer
# token, under $PEERS_DIR/kube-api, and writes a kubeconfig for it.
# Prints KEY=VALUE lines on stdout (nothing else):
#   FERRY_KUBECONFIG       the kubeconfig file (token + CA, context namespace `ferry`)
#   FERRY_KUBECONFIG_CERT  the same cluster with a client certificate instead of the token
#   FERRY_KUBE_API         the server URL
#   FERRY_KUBE_API_TOKEN   the bearer token (for the test-only /_sim/ helpers)
#   FERRY_KUBE_API_CA      the CA certificate file
# Port: KUBE_API_PORT (default 56443; the next free one is used when taken).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
: "${PEERS_DIR:?PEERS_DIR must be set (scripts/test.mjs sets it)}"
D="$PEERS_DIR/kube-api"
bash "$HERE/stop.sh" >/dev/null 2>&1 || true
rm -rf "$D"
mkdir -p "$D"

is_listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
PORT=${KUBE_API_PORT:-56443}
while is_listening "$PORT"; do PORT=$((PORT + 1)); done

openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "/CN=Ferry test kube CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -keyout "$D/ca.key" -out "$D/ca.crt" 2>/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=kube-apiserver" \
  -keyout "$D/server.key" -out "$D/server.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:kubernetes.default.svc\nextendedKeyUsage=serverAuth\n' > "$D/server.ext"
openssl x509 -req -in "$D/server.csr" -CA "$D/ca.crt" -CAkey "$D/ca.key" -CAcreateserial -days 2 \
  -extfile "$D/server.ext" -out "$D/server.crt" 2>/dev/null

openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=ferry/O=ferry" \
  -keyout "$D/client.key" -out "$D/client.csr" 2>/dev/null
printf 'extendedKeyUsage=clientAuth\n' > "$D/client.ext"
openssl x509 -req -in "$D/client.csr" -CA "$D/ca.crt" -CAkey "$D/ca.key" -CAcreateserial -days 2 \
  -extfile "$D/client.ext" -out "$D/client.crt" 2>/dev/null

TOKEN="sim-$(openssl rand -hex 16)"
nohup node "$HERE/kube-api.mjs" --port "$PORT" --cert "$D/server.crt" --key "$D/server.key" --token "$TOKEN" \
  --client-ca "$D/ca.crt" \
  > "$D/kube-api.log" 2>&1 < /dev/null &
echo $! > "$D/kube-api.pid"

CA_DATA=$(base64 -w0 < "$D/ca.crt")
cat > "$D/kubeconfig" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
- name: sim
  cluster:
    server: https://127.0.0.1:$PORT
    certificate-authority-data: $CA_DATA
users:
- name: ferry
  user:
    token: $TOKEN
contexts:
- name: sim
  context:
    cluster: sim
    user: ferry
    namespace: ferry
current-context: sim
KUBECONFIG

sed -e "s|    token: $TOKEN|    client-certificate-data: $(base64 -w0 < "$D/client.crt")\n    client-key-data: $(base64 -w0 < "$D/client.key")|" \
  "$D/kubeconfig" > "$D/kubeconfig-cert"

for _ in $(seq 1 100); do
  curl -sf --cacert "$D/ca.crt" -H "Authorization: Bearer $TOKEN" "https://127.0.0.1:$PORT/version" >/dev/null 2>&1 && break
  sleep 0.05
done
curl -sf --cacert "$D/ca.crt" -H "Authorization: Bearer $TOKEN" "https://127.0.0.1:$PORT/version" >/dev/null \
  || { echo "kube-api simulation did not answer" >&2; cat "$D/kube-api.log" >&2; exit 1; }

echo "kube-api simulation up: https://127.0.0.1:$PORT" >&2
echo "FERRY_KUBECONFIG=$D/kubeconfig"
echo "FERRY_KUBECONFIG_CERT=$D/kubeconfig-cert"
echo "FERRY_KUBE_API=https://127.0.0.1:$PORT"
echo "FERRY_KUBE_API_TOKEN=$TOKEN"
echo "FERRY_KUBE_API_CA=$D/ca.crt"

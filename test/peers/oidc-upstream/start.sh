#!/usr/bin/env bash
# Starts the upstream OpenID Provider (oidc-provider 9.13.3, upstream-op.mjs) on loopback under $PEERS_DIR/oidc-upstream.
# Ports are picked free at start (override: OP_PORT, OP2_PORT, ADMIN_PORT). Prints the test variables on stdout only.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
dir="${PEERS_DIR:-/tmp}/oidc-upstream"
bash "$here/stop.sh" >/dev/null 2>&1 || true
rm -rf "$dir" && mkdir -p "$dir"
ready="$dir/ready.json"
# node resolves oidc-provider from the repo's node_modules (the script lives inside the repo).
cd "$root"
READY_FILE="$ready" nohup node "$here/upstream-op.mjs" >"$dir/op.log" 2>&1 </dev/null &
echo $! >"$dir/op.pid"
for _ in $(seq 1 100); do
  [ -s "$ready" ] && break
  if ! [[ "$(ps -o stat= -p "$(cat "$dir/op.pid")" 2>/dev/null)" =~ ^[^Z] ]]; then
    echo "oidc-upstream exited; log:" >&2; cat "$dir/op.log" >&2; exit 1
  fi
  sleep 0.1
done
[ -s "$ready" ] || { echo "oidc-upstream did not become ready in 10 s; log:" >&2; cat "$dir/op.log" >&2; exit 1; }
node -e '
const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
console.log(`FERRY_OIDC_ISSUER=${r.issuer}`);
console.log(`FERRY_OIDC_ISSUER_NOPKCE=${r.issuerNoPKCE}`);
console.log(`FERRY_OIDC_ADMIN=${r.admin}`);
console.log("FERRY_OIDC_CLIENT_ID=ferry");
console.log("FERRY_OIDC_CLIENT_SECRET=ferry-secret");
' "$ready"

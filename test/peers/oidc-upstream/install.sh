#!/usr/bin/env bash
# The upstream OpenID Provider needs no Debian packages: only npm's oidc-provider, pinned to exactly 9.13.3 in
# package.json (devDependencies). Fails with a message when node_modules lacks that version.
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
pkg="$root/node_modules/oidc-provider/package.json"
have="$(node -p "require('$pkg').version" 2>/dev/null || echo missing)"
if [ "$have" != "9.13.3" ]; then
  echo "oidc-upstream needs oidc-provider 9.13.3 in node_modules (found: $have); run npm ci" >&2
  exit 1
fi

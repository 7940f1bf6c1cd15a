#!/usr/bin/env bash
# Installs the Debian packages the test suite needs, only when they are missing (idempotent, quiet when done).
# Needs root, as on CI. Keeps apt from starting system services while installing.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
apt_install_missing "${need[@]}"

#!/usr/bin/env bash
# Installs etcd 3.4 (server and etcdctl) for the etcd storage tests, only when missing. Idempotent; needs root
# (as on CI). policy-rc.d keeps apt from starting a system etcd: the tests run their own from a temp dir (start.sh).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
need=()
command -v etcd >/dev/null 2>&1 || need+=(etcd-server)
command -v etcdctl >/dev/null 2>&1 || need+=(etcd-client)
apt_install_missing "${need[@]}"

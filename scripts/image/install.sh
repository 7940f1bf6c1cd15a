#!/usr/bin/env bash
# Installs the Debian tools that build and run Ferry's container image, only when missing (idempotent, needs root):
# mmdebstrap (root filesystem from Debian packages), umoci (OCI image), podman with runc (runs it; crun cannot
# start containers under this kind of machine's hybrid cgroups), slirp4netns and uidmap (podman's networking and
# user namespaces).
set -euo pipefail
. "$(dirname "$0")/../../test/peers/lib.sh"
need=()
command -v mmdebstrap >/dev/null 2>&1 || need+=(mmdebstrap)
command -v umoci >/dev/null 2>&1 || need+=(umoci)
command -v podman >/dev/null 2>&1 || need+=(podman)
command -v runc >/dev/null 2>&1 || need+=(runc)
command -v slirp4netns >/dev/null 2>&1 || need+=(slirp4netns)
command -v newuidmap >/dev/null 2>&1 || need+=(uidmap)
apt_install_missing "${need[@]}"

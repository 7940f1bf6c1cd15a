#!/usr/bin/env bash
# Builds Ferry's container image (OCI layout) without pulling any base image:
#   1. a minimal Debian root filesystem from Debian's packages (mmdebstrap --variant=extract: libc, libstdc++, dash,
#      tzdata, netbase, ca-certificates), cached by package list;
#   2. the Node.js binary that runs this script (Debian bookworm's own `nodejs` is 18, below Ferry's engines range
#      and the ABI of the native modules in node_modules, so the running node is copied; its only libraries are
#      libc/libstdc++/libgcc from step 1, checked with ldd);
#   3. Ferry itself under /usr/lib/ferry: package.json, dist/bundle (`npm run build`), web/, and the production
#      node_modules only (package-lock.json entries not marked dev), native modules (better-sqlite3, @node-rs/bcrypt) as built here;
#   4. `ferry`, `dex` (the same program, so dex's command line works) and `docker-entrypoint` in /usr/local/bin,
#      user 1001:1001, /etc/dex and /var/dex owned by it, ports 5556 5554 5557 5558 (docs/container.md).
# The image is cached under $FERRY_IMAGE_CACHE (default /var/tmp/ferry-image-cache), keyed by a hash of every input,
# so a second run with unchanged inputs only prints the paths. Output (stdout, KEY=VALUE lines):
#   FERRY_IMAGE_OCI=<oci layout dir>  FERRY_IMAGE_TAG=<tag>  FERRY_IMAGE_ROOTFS=<unpacked root filesystem>
# Needs root and Debian's mmdebstrap and umoci (scripts/image/install.sh installs them).
# Usage: scripts/image/build.sh [--no-build]   (--no-build: use the existing dist/ instead of `npm run build`)
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO=$(pwd)
CACHE=${FERRY_IMAGE_CACHE:-/var/tmp/ferry-image-cache}
SUITE=bookworm
PACKAGES=base-files,libc6,libstdc++6,libgcc-s1,dash,tzdata,netbase,ca-certificates

for tool in mmdebstrap umoci node npm; do
  command -v "$tool" >/dev/null 2>&1 || { echo "image build: $tool is missing: run scripts/image/install.sh" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "image build: needs root (file ownership inside the image)" >&2; exit 1; }
log() { echo "image build: $*" >&2; }
mkdir -p "$CACHE"
exec 8>"$CACHE/.lock"
flock 8

# --- 1. Debian base, cached by suite + package list ---
base_key=$(printf '%s %s %s' "$SUITE" "$PACKAGES" "$(uname -m)" | sha256sum | cut -c1-16)
BASE="$CACHE/base-$base_key.tar"
if [ ! -f "$BASE" ]; then
  log "mmdebstrap $SUITE ($PACKAGES)"
  mmdebstrap --quiet --variant=extract --include="$PACKAGES" "$SUITE" "$BASE.part.tar" >&2
  mv "$BASE.part.tar" "$BASE"
fi

# --- 2./3. Ferry: build, then key the image by every input ---
NODE=$(readlink -f "$(command -v node)")
[ "${1:-}" = --no-build ] || bash scripts/image/dist.sh
[ -f dist/bundle/main.js ] || { echo "image build: dist/bundle/main.js is missing (npm run build)" >&2; exit 1; }
key=$( {
  echo "$base_key"; sha256sum "$NODE"
  find dist/bundle web bin scripts/image package.json package-lock.json -type f -print0 | sort -z | xargs -0 sha256sum
} | sha256sum | cut -c1-16)
TAG="ferry-$key"
OCI="$CACHE/oci"
ROOTFS="$CACHE/rootfs-$key"
if [ -d "$ROOTFS/rootfs" ] && umoci list --layout "$OCI" 2>/dev/null | grep -qx "$TAG"; then
  log "cached: $TAG"
  printf 'FERRY_IMAGE_OCI=%s\nFERRY_IMAGE_TAG=%s\nFERRY_IMAGE_ROOTFS=%s\n' "$OCI" "$TAG" "$ROOTFS/rootfs"
  exit 0
fi

WORK=$(mktemp -d "$CACHE/work-XXXXXX")
trap 'rm -rf "$WORK"' EXIT
R="$WORK/rootfs"
mkdir -p "$R"
tar -C "$R" -xf "$BASE"
# What the image does not need at run time (package manager state, docs, manuals).
rm -rf "$R/usr/share/doc" "$R/usr/share/man" "$R/usr/share/info" "$R/usr/share/locale" "$R/var/lib/apt" \
  "$R/var/cache/apt" "$R/usr/share/gcc" "$R/usr/share/gdb"
# ca-certificates' bundle is made by its maintainer script, which the extract variant does not run.
mkdir -p "$R/etc/ssl/certs"
cat "$R"/usr/share/ca-certificates/mozilla/*.crt > "$R/etc/ssl/certs/ca-certificates.crt"

install -m 0755 "$NODE" "$R/usr/bin/node"
missing=$(chroot "$R" /usr/bin/node -e 'process.stdout.write("ok")' 2>&1) || true
[ "$missing" = ok ] || { echo "image build: node does not run in the Debian base: $missing" >&2; exit 1; }

APP="$R/usr/lib/ferry"
mkdir -p "$APP/dist" "$APP/node_modules"
cp -a package.json "$APP/"
cp -a dist/bundle "$APP/dist/bundle"
cp -a web "$APP/web"
# Production dependencies only (package-lock.json entries not marked dev).
node scripts/image/prod-modules.mjs "$REPO" "$APP/node_modules" >/dev/null
for need in better-sqlite3 @node-rs/bcrypt fastify jose; do
  [ -d "$APP/node_modules/$need" ] || { echo "image build: production module $need was not copied" >&2; exit 1; }
done
# better-sqlite3's sources and build intermediates are not loaded at run time.
rm -rf "$APP/node_modules/better-sqlite3/deps" "$APP/node_modules/better-sqlite3/src" \
  "$APP/node_modules/better-sqlite3/build/Release/obj.target" "$APP/node_modules/better-sqlite3/build/Release/.deps" \
  "$APP/node_modules/better-sqlite3/build/Release/test_extension.node"
find "$APP/node_modules" -name '*.md' -type f -delete

mkdir -p "$R/usr/local/bin"
install -m 0755 scripts/image/ferry.sh "$R/usr/local/bin/ferry"
install -m 0755 scripts/image/ferry.sh "$R/usr/local/bin/dex"
install -m 0755 scripts/image/docker-entrypoint.sh "$R/usr/local/bin/docker-entrypoint"
echo 'ferry:x:1001:1001:Ferry:/nonexistent:/usr/sbin/nologin' >> "$R/etc/passwd"
echo 'ferry:x:1001:' >> "$R/etc/group"
mkdir -p "$R/etc/dex" "$R/var/dex"
install -m 0644 scripts/image/config.docker.yaml "$R/etc/dex/config.docker.yaml"
chown 1001:1001 "$R/etc/dex" "$R/var/dex"
chmod 1777 "$R/tmp"

# --- 4. OCI image ---
[ -d "$OCI" ] || umoci init --layout "$OCI"
umoci new --image "$OCI:$TAG.tmp"
umoci unpack --image "$OCI:$TAG.tmp" "$WORK/bundle" >/dev/null
rm -rf "$WORK/bundle/rootfs"
mv "$R" "$WORK/bundle/rootfs"
umoci repack --image "$OCI:$TAG.tmp" "$WORK/bundle"
umoci config --image "$OCI:$TAG.tmp" --tag "$TAG" \
  --config.user 1001:1001 --config.workingdir /var/dex \
  --config.env PATH=/usr/local/bin:/usr/bin:/bin --config.env NODE_ENV=production \
  --config.entrypoint /usr/local/bin/docker-entrypoint \
  --config.cmd dex --config.cmd serve --config.cmd /etc/dex/config.docker.yaml \
  --config.exposedports 5556/tcp --config.exposedports 5554/tcp --config.exposedports 5557/tcp \
  --config.exposedports 5558/tcp --config.label "org.opencontainers.image.title=Ferry" \
  --config.label "org.opencontainers.image.version=$(node -p 'require("./package.json").version')"
umoci rm --image "$OCI:$TAG.tmp"
umoci gc --layout "$OCI"

# The unpacked root filesystem, for runs without a container runtime.
rm -rf "$ROOTFS"
umoci unpack --image "$OCI:$TAG" "$ROOTFS" >/dev/null
# The cache keeps this image and the one before it.
ls -dt "$CACHE"/rootfs-* | tail -n +3 | while read -r old; do
  rm -rf "$old"
  umoci rm --image "$OCI:ferry-${old##*/rootfs-}" 2>/dev/null || true
done
umoci gc --layout "$OCI"
log "built $TAG"
printf 'FERRY_IMAGE_OCI=%s\nFERRY_IMAGE_TAG=%s\nFERRY_IMAGE_ROOTFS=%s\n' "$OCI" "$TAG" "$ROOTFS/rootfs"

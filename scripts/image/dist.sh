#!/usr/bin/env bash
# Runs `npm run build` (dist/ and dist/bundle) unless dist/ was already built from the same sources, under a lock,
# so the image build and the npm package test can both ask for it in one test run without racing.
# The sources' hash is kept in dist/.source-key.
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p dist
exec 7>dist/.build-lock
flock 7
key=$(find src scripts/bundle.mjs tsconfig.json tsconfig.build.json package.json package-lock.json -type f \
  ! -name '*.test.ts' -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
if [ -f dist/bundle/main.js ] && [ "$(cat dist/.source-key 2>/dev/null)" = "$key" ]; then
  exit 0
fi
echo "npm run build" >&2
npm run --silent build >&2
echo "$key" > dist/.source-key

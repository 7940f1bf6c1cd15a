#!/usr/bin/env bash
# The container image tests (test/flows/image/) need no server, only the tools that build and run the image.
set -euo pipefail
exec bash "$(dirname "$0")/../../../scripts/image/install.sh"

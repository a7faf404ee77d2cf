#!/usr/bin/env bash
# Builds the Debian package of RewardDance Studio into build/release:
#   ./scripts/package.sh        (after ./scripts/build.sh)
#   sudo apt install ./build/release/rewarddance-studio_*.deb
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/build.sh >/dev/null
cd build/release
cpack -G DEB

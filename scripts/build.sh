#!/usr/bin/env bash
# Configures and builds the release preset (build/release). Used by demo.sh and test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
if [ ! -f build/release/build.ninja ]; then
  cmake --preset release >/tmp/rdance-configure.log 2>&1 || { cat /tmp/rdance-configure.log; exit 1; }
fi
cmake --build build/release -j"$jobs"

#!/usr/bin/env bash
# Sets everything up on a fresh Debian 12 machine, builds, and runs the main job on the demo
# workspace (./demo-workspace): the engine self-check, then the workspace and its tables.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
./scripts/build.sh >/dev/null
bin=build/release/app
echo "== engine self-check"
"$bin/rdance-engine" check
ws=demo-workspace
if [ ! -f "$ws/workspace.db" ]; then
  "$bin/rdance" init "$ws"
fi
echo "== workspace $ws"
"$bin/rdance" info "$ws"

#!/usr/bin/env bash
# Sets everything up on a fresh Debian 12 machine, builds, and runs the main job on the demo
# workspace (./demo-workspace): the engine self-check, the ShapeWorld demo workspace, the
# oracle's per-category table for both demo generators, and the reward-model size ladder.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
./scripts/build.sh >/dev/null
bin=build/release/app
echo "== engine self-check"
"$bin/rdance-engine" check
ws=demo-workspace
if [ ! -f "$ws/workspace.db" ]; then
  echo "== building the ShapeWorld demo workspace in $ws"
  "$bin/rdance" demo "$ws"
fi
echo "== workspace $ws"
"$bin/rdance" info "$ws"
for generator in shapeworld-clean shapeworld-sloppy; do
  echo "== oracle alignment of $generator (per GenEval category)"
  "$bin/rdance" oracle "$ws" --generator "$generator" | tail -n 12
done
echo "== reward model presets (parameters)"
"$bin/rdance" rm info --preset all | grep -E '"name"|"total"'

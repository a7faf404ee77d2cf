#!/usr/bin/env bash
# Sets everything up on a fresh Debian 12 machine, builds, and runs the main job on the demo
# workspace (./demo-workspace): the engine self-check, the ShapeWorld demo workspace, the
# oracle's per-category table for both demo generators, the reward-model size ladder, a one-
# minute reward-model training with its evaluation and judgments, a one-minute generator SFT with
# its samples and oracle alignment table, and the studio's Label view
# (a window when there is a display, else an offscreen screenshot in demo-workspace/studio.png).
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
echo "== a one-minute pairwise RM training (rd-xs; real runs: rdance rm sweep, docs/RM_TRAINING.md)"
if [ ! -f "$ws/models/demo-rm/model.safetensors" ]; then
  "$bin/rdance" rm train "$ws" --config resources/demo/rm.json | grep -E '"event":"(start|validation|done)"' | cut -c1-300
fi
"$bin/rdance" rm eval "$ws" --model "$ws/models/demo-rm" --split ood | grep -E '^  "(accuracy|pairs|consistency|calibration_error)"'
"$bin/rdance" rm judge "$ws" --model "$ws/models/demo-rm" --pairs split=id,limit=20
echo "== a one-minute generator SFT (gen-xs; real runs: docs/GENERATOR.md), samples, oracle alignment"
if [ ! -f "$ws/models/demo-gen/model.safetensors" ]; then
  "$bin/rdance" gen train "$ws" --config resources/demo/gen.json | grep -E '"event":"(start|done)"' | cut -c1-300
fi
"$bin/rdance" gen sample "$ws" --model "$ws/models/demo-gen" --split id --limit 16 --steps 20 | tail -n 7
"$bin/rdance" gen eval "$ws" --model "$ws/models/demo-gen" --split id --n 1 --limit 24 --steps 20
echo "== the studio: GSB labeling of the demo study"
study="demo: sloppy vs clean"
if [ -n "${DISPLAY:-}" ]; then
  "$bin/rdance-studio" "$ws" --study "$study" --annotator "${USER:-demo}"
else
  QT_QPA_PLATFORM=offscreen "$bin/rdance-studio" "$ws" --study "$study" --annotator demo \
    --screenshot "$ws/studio.png" 2>/dev/null
fi

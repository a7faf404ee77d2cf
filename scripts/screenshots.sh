#!/usr/bin/env bash
# Makes the README's screenshots from a fresh demo workspace, offscreen:
#   ./scripts/screenshots.sh        (after ./scripts/build.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=build/release/app
ws=$(mktemp -d)/demo
"$bin/rdance" demo "$ws" >/dev/null
echo '{"preset": "rd-xs", "out": "models/demo-rm", "steps": 60, "batch": 8, "with_instruction": false, "cot": "decision_first", "eval_every": 20, "eval_pairs": 64}' > "$ws/demo-rm.json"
"$bin/rdance" rm train "$ws" --config "$ws/demo-rm.json" >/dev/null
for split in id ood; do "$bin/rdance" rm eval "$ws" --model "$ws/models/demo-rm" --split "$split" >/dev/null; done
"$bin/rdance" rm judge "$ws" --model "$ws/models/demo-rm" --pairs split=id,limit=300 >/dev/null
mkdir -p docs/screenshots
for view in label inspect train results; do
  QT_QPA_PLATFORM=offscreen "$bin/rdance-studio" "$ws" --study "demo: sloppy vs clean" \
    --annotator demo --view "$view" --screenshot "docs/screenshots/$view-view.png" 2>/dev/null
done
rm -rf "$(dirname "$ws")"

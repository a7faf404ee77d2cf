#!/usr/bin/env bash
# Makes the README's screenshots from a fresh demo workspace, offscreen:
#   ./scripts/screenshots.sh        (after ./scripts/build.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=build/release/app
ws=$(mktemp -d)/demo
"$bin/rdance" demo "$ws" >/dev/null
mkdir -p docs/screenshots
QT_QPA_PLATFORM=offscreen "$bin/rdance-studio" "$ws" --study "demo: sloppy vs clean" \
  --annotator demo --screenshot docs/screenshots/label-view.png 2>/dev/null
rm -rf "$(dirname "$ws")"

#!/usr/bin/env bash
# Installs every Debian 12 package RewardDance Studio needs to build, test and run.
# Idempotent and quiet: when everything is already there it installs nothing and prints nothing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git clang-format
  qt6-base-dev qt6-multimedia-dev qt6-svg-dev libqcustomplot-dev
  libtorch-dev libopenblas0-openmp python3-torch
  libopencv-dev
  libavformat-dev libavcodec-dev libswscale-dev libavutil-dev ffmpeg
  libsqlite3-dev sqlite3
  libsentencepiece-dev python3-sentencepiece
  nlohmann-json3-dev libcli11-dev libcsv-dev libssl-dev libpcre2-dev libutf8proc-dev
  xvfb xauth
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "setup: installing ${#missing[@]} Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq "${missing[@]}" >/tmp/rdance-setup.log 2>&1 || { cat /tmp/rdance-setup.log; exit 1; }
echo "setup: done"

#!/usr/bin/env bash
# Formats (or with --check, verifies) every C++ file with the pinned clang-format (14).
set -euo pipefail
cd "$(dirname "$0")/.."
mode=(-i)
[ "${1:-}" = "--check" ] && mode=(--dry-run --Werror)
git ls-files --cached --others --exclude-standard '*.cpp' '*.h' | xargs -r clang-format "${mode[@]}"

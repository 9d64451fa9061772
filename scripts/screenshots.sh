#!/usr/bin/env bash
# Regenerates the README's screenshots (docs/*.png): the app on the demo, rendered offscreen.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
QT_QPA_PLATFORM=offscreen "$BUILD_DIR/app/uncertainty-explorer" --demo --screenshots docs

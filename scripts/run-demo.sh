#!/usr/bin/env bash
# README command 1: install dependencies, build, and start the desktop app on the built-in demo
# (the bundled MC-dropout Fashion-MNIST model over the bundled samples, T = 100, run started).
# Without a display (no DISPLAY / WAYLAND_DISPLAY, e.g. over ssh) it prints the CLI's summary
# of the same run and renders the window offscreen into build/demo-screenshots/ instead.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
BUILD_DIR=${BUILD_DIR:-build}
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ "${QT_QPA_PLATFORM:-}" != "offscreen" ]; then
    exec "$BUILD_DIR/app/uncertainty-explorer" --demo
fi
echo "No display: running the demo headless."
"$BUILD_DIR/app/uncertainty-cli" analyze \
    --model models/fmnist-mc-cnn.pt \
    --input resources/samples/fashion-mnist \
    --samples 100 --seed 0 \
    --out "$BUILD_DIR/demo-results.csv"
QT_QPA_PLATFORM=offscreen "$BUILD_DIR/app/uncertainty-explorer" --demo \
    --screenshots "$BUILD_DIR/demo-screenshots"
echo "The window, rendered offscreen: $BUILD_DIR/demo-screenshots/*.png"

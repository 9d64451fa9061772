#!/usr/bin/env bash
# README command 1: install dependencies, build, and run the built-in demo: the bundled MC-dropout
# Fashion-MNIST model over the bundled sample images, T = 100 passes, summary on stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
BUILD_DIR=${BUILD_DIR:-build}
"$BUILD_DIR/app/uncertainty-cli" info --model models/fmnist-mc-cnn.pt
echo
exec "$BUILD_DIR/app/uncertainty-cli" analyze \
    --model models/fmnist-mc-cnn.pt \
    --input resources/samples/fashion-mnist \
    --samples 100 --seed 0 \
    --out "$BUILD_DIR/demo-results.csv"

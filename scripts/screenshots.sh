#!/usr/bin/env bash
# Regenerates the README's screenshots (docs/*.png): the app on the demo, rendered offscreen,
# with settings of its own so neither run sees or changes the user's.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
APP="$BUILD_DIR/app/uncertainty-explorer"
export QT_QPA_PLATFORM=offscreen
XDG_CONFIG_HOME=$(mktemp -d) "$APP" --demo --screenshots docs
# Test-time augmentation: the deterministic twin, which MC dropout cannot move.
XDG_CONFIG_HOME=$(mktemp -d) "$APP" --model models/fmnist-det-cnn.pt --method deterministic \
    --tta-policy resources/tta/demo-policy.json --screenshots docs resources/samples/fashion-mnist
# The inspector on a heteroscedastic model: the aleatoric/epistemic split and the logit variance.
shots=$(mktemp -d)
XDG_CONFIG_HOME=$(mktemp -d) "$APP" --model models/fmnist-hetero-cnn.pt --method mc-dropout -T 30 \
    --run --screenshots "$shots" resources/samples/fashion-mnist
cp "$shots/inspector.png" docs/methods-inspector.png
rm -rf "$shots"
# The Compare tab: the demo's methods side by side.
XDG_CONFIG_HOME=$(mktemp -d) "$APP" --demo --compare resources/compare/demo-methods.json \
    --screenshots docs

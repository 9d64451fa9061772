#!/usr/bin/env bash
# Installs every Debian 12 package the project needs to build, test, run the demo and retrain
# the demo models. Idempotent: does nothing when all are present.
set -euo pipefail

PACKAGES=(
    # build
    cmake ninja-build g++ ccache pkg-config clang-format
    # libraries
    libtorch-dev libopencv-dev libcli11-dev nlohmann-json3-dev libgtest-dev
    # LibTorch's matrix products go to libblas.so.3: without this only the reference BLAS may be
    # there (5x slower MC heads); a desktop Debian usually has it already
    libopenblas0-pthread
    # the desktop app (Qt6 Widgets + QCustomPlot) and a font for offscreen rendering
    qt6-base-dev qt6-svg-dev libqcustomplot-dev fonts-dejavu-core
    # models/ and the test oracles (Debian's PyTorch, not pip)
    python3 python3-torch python3-torchvision python3-numpy python3-pil python3-sklearn python3-yaml
    dataset-fashion-mnist
    # the Debian package (installer/, tests/package): cpack's dpkg-shlibdeps, the icon's PNG
    # sizes, the AppStream / desktop entry / man page validators
    dpkg-dev file librsvg2-bin appstream desktop-file-utils man-db
    # CI's sanitizer build (g++'s ASan/UBSan runtimes come with g++) and the libFuzzer targets
    # (clang, and its runtime libraries, which clang only recommends)
    clang libclang-rt-14-dev
)

missing=()
for package in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
echo "Installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"

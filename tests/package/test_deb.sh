#!/usr/bin/env bash
# Builds the .deb with CPack, validates what it carries (AppStream metainfo, desktop entry, icons,
# man pages), installs it on this machine with apt, runs the installed CLI and GUI on the
# installed demo, and purges it again. Needs root (CI runs as root); exits 77 (skipped) without.
#   test_deb.sh --build-dir DIR [--cpack CPACK]
set -euo pipefail

BUILD_DIR=""
CPACK=cpack
while [ $# -gt 0 ]; do
    case "$1" in
        --build-dir) BUILD_DIR=$2; shift 2 ;;
        --cpack) CPACK=$2; shift 2 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done
[ -n "$BUILD_DIR" ] || { echo "--build-dir is required" >&2; exit 2; }

if [ "$(id -u)" -ne 0 ]; then
    echo "SKIP: installing the .deb needs root (CI runs as root)"
    exit 77
fi
for tool in dpkg-deb apt-get appstreamcli desktop-file-validate man; do
    if ! command -v "$tool" >/dev/null; then
        echo "SKIP: $tool is missing (scripts/install-deps.sh installs it)"
        exit 77
    fi
done

PACKAGE=uncertainty-explorer
APP_ID=io.github.uncertainty_explorer.UncertaintyExplorer
DATA=/usr/share/uncertainty-explorer
APT=(apt-get -y -q -o DPkg::Lock::Timeout=600)
export DEBIAN_FRONTEND=noninteractive
WORK=$(mktemp -d /tmp/ue-test-deb.XXXXXX)
installed_by_us=0
cleanup() {
    if [ "$installed_by_us" -eq 1 ]; then
        "${APT[@]}" purge "$PACKAGE" >"$WORK/purge.log" 2>&1 || cat "$WORK/purge.log"
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
step() { echo "== $*"; }

step "cpack -G DEB"
BUILD_DIR=$(cd "$BUILD_DIR" && pwd)
rm -f "$BUILD_DIR"/packages/${PACKAGE}_*.deb
(cd "$BUILD_DIR" && timeout 900 "$CPACK" -G DEB) >"$WORK/cpack.log" 2>&1 || {
    cat "$WORK/cpack.log"
    fail "cpack"
}
debs=("$BUILD_DIR"/packages/${PACKAGE}_*.deb)
[ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ] || fail "expected one .deb in $BUILD_DIR/packages"
DEB=${debs[0]}
echo "$DEB: $(du -h "$DEB" | cut -f1)"

step "control fields"
dpkg-deb -f "$DEB" Package Version Architecture Section Depends
depends=$(dpkg-deb -f "$DEB" Depends)
for library in libtorch libopencv-imgcodecs libqt6widgets6 libqcustomplot libc6; do
    grep -q "$library" <<<"$depends" || fail "Depends lacks $library: $depends"
done
[ "$(dpkg-deb -f "$DEB" Section)" = science ] || fail "section is not science"

step "contents"
ROOT="$WORK/root"
dpkg-deb -x "$DEB" "$ROOT"
expected=(
    usr/bin/uncertainty-explorer usr/bin/uncertainty-cli usr/bin/uncertainty-bench
    usr/share/applications/$APP_ID.desktop usr/share/metainfo/$APP_ID.metainfo.xml
    usr/share/mime/packages/$PACKAGE.xml usr/share/icons/hicolor/scalable/apps/$PACKAGE.svg
    usr/share/man/man1/uncertainty-explorer.1.gz usr/share/man/man1/uncertainty-cli.1.gz
    usr/share/man/man1/uncertainty-bench.1.gz
    usr/share/doc/$PACKAGE/copyright usr/share/doc/$PACKAGE/changelog.gz
    ${DATA#/}/models/fmnist-mc-cnn.pt ${DATA#/}/models/fmnist-det-cnn.pt
    ${DATA#/}/models/fmnist-ensemble.json ${DATA#/}/models/fmnist-ens-4.pt
    ${DATA#/}/resources/compare/demo-methods.json ${DATA#/}/resources/tta/demo-policy.json
    ${DATA#/}/scripts/bench_pytorch.py
)
for size in 16 22 24 32 48 64 128 256; do
    expected+=("usr/share/icons/hicolor/${size}x${size}/apps/$PACKAGE.png")
done
for path in "${expected[@]}"; do
    [ -f "$ROOT/$path" ] || fail "the package lacks /$path"
done
for set in fashion-mnist:300 fashion-mnist-val:500 ood-digits:100; do
    count=$(find "$ROOT/${DATA#/}/resources/samples/${set%%:*}" -name '*.png' | wc -l)
    [ "$count" -eq "${set##*:}" ] || fail "${set%%:*}: $count images, expected ${set##*:}"
done

step "appstreamcli validate, desktop-file-validate"
appstreamcli validate --no-net --strict "$ROOT/usr/share/metainfo/$APP_ID.metainfo.xml"
# The whole tree: the metainfo's launchable names an existing .desktop with an existing icon.
appstreamcli validate-tree --no-net "$ROOT"
desktop-file-validate "$ROOT/usr/share/applications/$APP_ID.desktop"

step "man pages render without warnings"
for page in "$ROOT"/usr/share/man/man1/*.1.gz; do
    warnings=$(LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 \
        man --warnings -E UTF-8 -l -Tutf8 -Z "$page" 2>&1 >/dev/null)
    [ -z "$warnings" ] || fail "$(basename "$page"): $warnings"
    name=$(basename "$page" .1.gz)
    text=$(LC_ALL=C.UTF-8 MANWIDTH=100 man -l "$page" 2>/dev/null)
    grep -q "^NAME" <<<"$text" && grep -q -- "--help" <<<"$text" ||
        fail "$name: the page lacks NAME or its options"
done

step "apt-get install"
if dpkg-query -W -f='${Status}' "$PACKAGE" 2>/dev/null | grep -q "installed"; then
    echo "$PACKAGE is installed already (an earlier run?): purging it first"
    "${APT[@]}" purge "$PACKAGE" >/dev/null
fi
installed_by_us=1
timeout 900 "${APT[@]}" install "$DEB" >"$WORK/install.log" 2>&1 || {
    cat "$WORK/install.log"
    fail "apt-get install"
}
for path in "${expected[@]}"; do
    [ -f "/$path" ] || fail "installed, but /$path is missing"
done
man -w uncertainty-cli >/dev/null || fail "man does not find uncertainty-cli"

step "the installed CLI on the installed demo"
cd "$WORK"  # nowhere near the source tree
export HOME="$WORK/home" XDG_CONFIG_HOME="$WORK/home/.config" XDG_RUNTIME_DIR="$WORK/runtime"
mkdir -p "$HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
timeout 300 /usr/bin/uncertainty-cli analyze -m "$DATA/models/fmnist-mc-cnn.pt" \
    -i "$DATA/resources/samples/fashion-mnist" -T 20 --seed 1 -q -o "$WORK/results.csv" \
    >"$WORK/analyze.txt" || {
    cat "$WORK/analyze.txt"
    fail "uncertainty-cli analyze"
}
cat "$WORK/analyze.txt"
rows=$(($(wc -l <"$WORK/results.csv") - 1))
[ "$rows" -eq 300 ] || fail "results.csv has $rows rows, expected 300"
accuracy=$(grep -o -i -m1 'accuracy[^0-9]*[0-9.]*' "$WORK/analyze.txt" | grep -o '[0-9.]*$' || true)
[ -n "$accuracy" ] || fail "the summary reports no accuracy"
awk -v a="$accuracy" 'BEGIN { exit !((a > 0.8 && a <= 1) || (a > 80 && a <= 100)) }' ||
    fail "demo accuracy $accuracy is not above 80 %"
timeout 120 /usr/bin/uncertainty-cli info -m "$DATA/models/fmnist-ensemble.json" >"$WORK/info.txt" ||
    fail "uncertainty-cli info on the ensemble manifest"
# The installed binaries find their data under /usr/share, not in the tree they were built from.
/usr/bin/uncertainty-cli bench --help | grep -q -- "=$DATA/scripts/bench_pytorch.py" ||
    fail "the installed CLI does not use $DATA/scripts/bench_pytorch.py"

step "the installed GUI on the demo, offscreen"
timeout 600 env QT_QPA_PLATFORM=offscreen /usr/bin/uncertainty-explorer --demo -T 5 \
    --screenshots "$WORK/shots" >"$WORK/gui.log" 2>&1 || {
    cat "$WORK/gui.log"
    fail "uncertainty-explorer --demo"
}
for shot in main-window.png inspector.png; do
    [ -s "$WORK/shots/$shot" ] || fail "the GUI wrote no $shot"
done

step "purge"
"${APT[@]}" purge "$PACKAGE" >"$WORK/purge.log" 2>&1 || {
    cat "$WORK/purge.log"
    fail "apt-get purge"
}
installed_by_us=0
for path in /usr/bin/uncertainty-cli "$DATA" "/usr/share/applications/$APP_ID.desktop"; do
    [ ! -e "$path" ] || fail "$path is left after the purge"
done
echo "PASS: $(basename "$DEB")"

#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz with clang (AddressSanitizer and
# UndefinedBehaviorSanitizer on) into build-fuzz/ and runs each for FUZZ_SECONDS (default 60)
# from its seed corpus (issue 8): the meta.json parser, the image loader, the CSV writer and
# reader. A crash, a sanitizer report or a broken property fails the run and leaves the input
# that did it in build-fuzz/findings/.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${FUZZ_BUILD_DIR:-build-fuzz}
SECONDS_EACH=${FUZZ_SECONDS:-60}
cmake -S tests/fuzz -B "$BUILD_DIR" -G Ninja -DCMAKE_CXX_COMPILER=clang++ >/dev/null
cmake --build "$BUILD_DIR" --parallel "$(nproc)"

work="$BUILD_DIR/work"
rm -rf "$work"
mkdir -p "$work/image_loader" "$work/csv" "$BUILD_DIR/findings"
# Image seeds: the hostile corpus (every format and flaw the tests know) and demo samples.
/usr/bin/python3 tests/data/make_bad_inputs.py "$work/bad" --no-models >/dev/null
find "$work/bad" -type f -size -256k -print0 | while IFS= read -r -d '' file; do
    cp "$file" "$work/image_loader/$(sha1sum "$file" | cut -c1-16)"
done
cp resources/samples/fashion-mnist/Bag/0001*.png tests/fuzz/corpus/image/* "$work/image_loader/"
cp -r tests/fuzz/corpus/meta "$work/model_meta"

status=0
for target in model_meta image_loader csv; do
    corpus="$work/$target"
    echo "fuzz_$target: ${SECONDS_EACH} s from $(ls "$corpus" | wc -l) seeds"
    if ! "$BUILD_DIR/fuzz_$target" -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 \
        -timeout=20 -print_final_stats=1 -artifact_prefix="$BUILD_DIR/findings/$target-" \
        "$corpus" >"$BUILD_DIR/fuzz_$target.log" 2>&1; then
        echo "fuzz_$target FAILED; its input is in $BUILD_DIR/findings/ (log: $BUILD_DIR/fuzz_$target.log)" >&2
        grep -E "ERROR|runtime error|terminate|what\(\)" "$BUILD_DIR/fuzz_$target.log" | head -5 >&2
        status=1
    else
        grep -E "stat::number_of_executed_units" "$BUILD_DIR/fuzz_$target.log" | sed "s/^/  /"
    fi
done
exit "$status"

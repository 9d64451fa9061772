#!/usr/bin/env bash
# Builds core, the CLI and their tests with AddressSanitizer and UndefinedBehaviorSanitizer into
# build-sanitize/ and runs them (issue 8). Any sanitizer report fails the run, also one printed
# by a CLI process that a test started and whose exit code the test did not look at.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${SANITIZE_BUILD_DIR:-build-sanitize}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DUE_SANITIZE=ON \
    -DUE_BUILD_GUI=OFF >/dev/null
cmake --build "$BUILD_DIR" --parallel "$(nproc)"

export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0:exitcode=86:detect_stack_use_after_return=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:exitcode=87}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/scripts/lsan-suppressions.txt:print_suppressions=0}
# The statistical end-to-end suites (TTA and method comparison) and the 100,000-image memory
# test are minutes of inference each and run only in the plain build; every code path they reach
# is under test here through core's tests.
log="$BUILD_DIR/sanitize-tests.log"
status=0
ctest --test-dir "$BUILD_DIR" --output-on-failure --parallel 2 -E '^cli\.(tta|compare|memory)$' \
    "$@" 2>&1 | tee "$log" || status=$?
if grep -E "ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:" "$log" >/dev/null; then
    echo "sanitize: a sanitizer reported a problem (see $log)" >&2
    exit 1
fi
exit "$status"

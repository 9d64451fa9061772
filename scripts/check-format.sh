#!/usr/bin/env bash
# Fails when a C++ file differs from what clang-format (.clang-format at the root) makes of it.
set -euo pipefail
cd "$(dirname "$0")/.."
find core ui app tests -type f \( -name '*.cpp' -o -name '*.h' \) -print0 |
    xargs -0 -r clang-format --dry-run --Werror

#!/usr/bin/env bash
# Bootstrap, configure and build the "debug" preset (ASan and UBSan, into build-debug/), then run every
# test there; any sanitizer report fails its test. Extra arguments go to ctest, e.g. -R Hardening.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh
if [[ ! -f build-debug/CMakeCache.txt ]]; then
  cmake --preset debug >/dev/null
fi
cmake --build build-debug --parallel "$(nproc)"
cd build-debug
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
ctest --output-on-failure --parallel "$(nproc)" "$@"

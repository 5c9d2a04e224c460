#!/usr/bin/env bash
# Bootstrap, configure, build, then run every test (ctest in build/). Extra arguments go to ctest,
# e.g. scripts/test.sh -R TaskIo. README.md and .ci/run both use this script.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/build.sh
cd build
ctest --output-on-failure --parallel "$(nproc)" "$@"

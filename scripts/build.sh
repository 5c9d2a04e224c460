#!/usr/bin/env bash
# Bootstrap, configure and build into build/ (the "default" preset: Release, CUDA when nvcc is found).
# Arguments name the targets to build (default: all), e.g. scripts/build.sh megabatch.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh
if [[ -f build/CMakeCache.txt ]]; then
  # Reconfigure in place: keeps whatever generator and options build/ was first made with.
  configure=(cmake -S . -B build)
else
  configure=(cmake --preset default)
fi
# Show only megabatch's own STATUS line (CUDA or not, which architectures); errors go to stderr as usual.
output=$("${configure[@]}") || { printf '%s\n' "$output"; exit 1; }
grep '^-- megabatch:' <<<"$output" || true
targets=()
for target in "$@"; do targets+=(--target "$target"); done
cmake --build build --parallel "$(nproc)" "${targets[@]}"

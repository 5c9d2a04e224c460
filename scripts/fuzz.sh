#!/usr/bin/env bash
# Builds the libFuzzer targets (the "fuzz" preset: clang with ASan and UBSan, into build-fuzz/) and runs
# each for SECONDS (default 60), or for N inputs with --runs N, or only the targets named after it:
#   scripts/fuzz.sh [SECONDS | --runs N] [fuzz_task_io|fuzz_parser|fuzz_eval|fuzz_values ...]
# Seeds: tests/fuzz/corpus/<target>/, plus the solver files of tests/data and configs/programs for the
# parser and every expression the DSL tests evaluate for eval (no ARC data). What a run adds to a
# corpus stays in build-fuzz/corpus/ for the next run. A crash leaves its input in build-fuzz/crashes/
# and makes the script exit 1: turn it into a unit test. One line per target says how many inputs ran.
# FUZZ_SEED fixes libFuzzer's random seed (CI sets it, so that a red run can be replayed).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=60
limit=()
if [[ $# -gt 1 && $1 == --runs && $2 =~ ^[0-9]+$ ]]; then
  limit=(-runs="$2")
  seconds=$((7 * 24 * 3600))
  shift 2
elif [[ $# -gt 0 && $1 =~ ^[0-9]+$ ]]; then
  seconds=$1
  shift
fi
targets=("$@")
((${#targets[@]} > 0)) || targets=(fuzz_task_io fuzz_parser fuzz_eval fuzz_values)

scripts/bootstrap.sh
if [[ ! -f build-fuzz/CMakeCache.txt ]]; then
  cmake --preset fuzz >/dev/null
fi
cmake --build build-fuzz --parallel "$(nproc)" --target "${targets[@]}" >/dev/null

seeds=build-fuzz/seeds
rm -rf "$seeds"
for target in "${targets[@]}"; do
  mkdir -p "$seeds/$target" "build-fuzz/corpus/$target" build-fuzz/crashes
  cp tests/fuzz/corpus/"$target"/* "$seeds/$target/" 2>/dev/null || true
done
if [[ -d $seeds/fuzz_parser ]]; then
  cp tests/data/programs/*.py tests/data/engine/programs.py configs/programs/*.py "$seeds/fuzz_parser/"
fi
if [[ -d $seeds/fuzz_eval ]]; then
  # Every expression a DSL test evaluates, one file each.
  grep -ohE 'EXPECT_EVAL(_ERROR)?\("([^"\\]|\\.)*"' tests/dsl/*.cpp tests/dsl/tok/*.cpp |
    sed -E 's/^EXPECT_EVAL(_ERROR)?\("//; s/"$//' | awk -v dir="$seeds/fuzz_eval" '{ print > (dir "/t" NR ".txt") }'
fi

failed=0
for target in "${targets[@]}"; do
  log=build-fuzz/$target.log
  start=$SECONDS
  if build-fuzz/tests/fuzz/"$target" -max_total_time="$seconds" "${limit[@]}" -timeout=20 -rss_limit_mb=3072 \
      -max_len=4096 -entropic=0 -seed="${FUZZ_SEED:-0}" -print_final_stats=1 -artifact_prefix=build-fuzz/crashes/"$target"- \
      "build-fuzz/corpus/$target" "$seeds/$target" >"$log" 2>&1; then
    runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo '?')
    echo "fuzz: $target: $runs inputs in $((SECONDS - start))s, no crash"
  else
    failed=1
    echo "fuzz: $target: CRASH (input in build-fuzz/crashes/, log $log):" >&2
    grep -E 'ERROR|SUMMARY|==[0-9]+==' "$log" | head -5 >&2
  fi
done
exit "$failed"

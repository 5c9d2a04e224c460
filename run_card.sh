#!/usr/bin/env bash
# megabatch's entry point, named after tokpidjin's run_card.sh whose pipeline megabatch replaces.
#
# With no task or program arguments, the main job runs on an embedded default: synthesise 400 tasks
# from the program library in configs/programs (fixed seed), then run the whole library against them
# through the engine. tokpidjin's flags keep their meaning where they have one here.
set -euo pipefail
cd "$(dirname "$0")"

usage() {
  cat <<'USAGE'
Usage: ./run_card.sh --megabatch [options]

  --megabatch         build if needed, then run the main job (required)
  -c COUNT            number of tasks (default 400); negative: a random sample of |COUNT| tasks
  -t TIMEOUT          per-evaluation wall budget in seconds (default from the config, 1 s)
  -g                  force the GPU (without one: says so and runs on the CPU)
  -m                  force the CPU
  -T                  print a timing table by primitive
  -o                  one pass (megabatch always does the whole job in one pass; accepted for tokpidjin users)
  -i                  clear previous outputs first
  --tasks PATH        task folder, task file or Kaggle *_challenges.json (default: synthesise tasks)
  --solutions FILE    Kaggle *_solutions.json with the test outputs
  --programs PATH     solver file or folder, repeatable (default: configs/programs)
  --out DIR           output folder (default: out/megabatch)
  --config FILE       a configs/*.toml profile (default: configs/laptop.toml)
  --seed N            seed of the synthetic tasks and of random samples (default 2026)
  --set KEY=VALUE     override one setting of the config, repeatable (e.g. --set cache=off)
  -h, --help          show this help
USAGE
}

mode=""
count=""
timeout_s=""
backend="auto"
timing=0
clear=0
tasks=""
solutions=""
programs=()
overrides=()
out="out/megabatch"
config="configs/laptop.toml"
seed=2026

need() { # option name, remaining argument count
  if (($2 < 2)); then echo "run_card.sh: $1 needs a value" >&2; usage >&2; exit 2; fi
}
while (($# > 0)); do
  case "$1" in
    --megabatch) mode=megabatch ;;
    -c) need "$1" $#; count="$2"; shift ;;
    -t) need "$1" $#; timeout_s="$2"; shift ;;
    -g) backend=gpu ;;
    -m) backend=cpu ;;
    -T) timing=1 ;;
    -o) ;;
    -i) clear=1 ;;
    --tasks) need "$1" $#; tasks="$2"; shift ;;
    --solutions) need "$1" $#; solutions="$2"; shift ;;
    --programs) need "$1" $#; programs+=("$2"); shift ;;
    --out) need "$1" $#; out="$2"; shift ;;
    --config) need "$1" $#; config="$2"; shift ;;
    --seed) need "$1" $#; seed="$2"; shift ;;
    --set) need "$1" $#; overrides+=(--set "$2"); shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "run_card.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
if [[ -z "$mode" ]]; then
  echo "run_card.sh: say --megabatch to run megabatch" >&2
  usage >&2
  exit 2
fi
if [[ -n "$count" && ! "$count" =~ ^-?[0-9]+$ ]]; then
  echo "run_card.sh: -c needs an integer, got '$count'" >&2; exit 2
fi
if [[ -n "$timeout_s" && ! "$timeout_s" =~ ^[0-9]+([.][0-9]+)?$ ]]; then
  echo "run_card.sh: -t needs a number of seconds, got '$timeout_s'" >&2; exit 2
fi
((${#programs[@]} > 0)) || programs=(configs/programs)

# Build only when something is missing or out of date (ninja decides in well under a second).
# MEGABATCH_BIN names an already built binary instead (tests use it).
if [[ -n "${MEGABATCH_BIN:-}" ]]; then
  bin="$MEGABATCH_BIN"
else
  scripts/build.sh megabatch >&2
  bin=build/megabatch
fi

if ((clear)); then rm -rf "$out"; fi
mkdir -p "$out"

if [[ -z "$tasks" ]]; then
  # The embedded default: synthetic tasks from our own library (nothing downloaded).
  n=${count:-400}
  n=${n#-}
  tasks="$out/tasks"
  "$bin" --log-level warn synth --tasks "$n" --seed "$seed" --out "$tasks" --programs "${programs[0]}"
  count=""
fi

if [[ "$backend" == gpu ]] && ! { command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1; }; then
  echo "run_card.sh: -g: no GPU on this machine; running on the CPU" >&2
  backend=cpu
fi

args=(run --tasks "$tasks" --out "$out/run" --config "$config" --backend "$backend" --seed "$seed")
[[ -n "$solutions" ]] && args+=(--solutions "$solutions")
for p in "${programs[@]}"; do args+=(--programs "$p"); done
[[ -n "$count" ]] && args+=(--count "$count")
if [[ -n "$timeout_s" ]]; then
  args+=(--set "budget.wall_ms=$(awk -v t="$timeout_s" 'BEGIN { printf "%d", t * 1000 }')")
fi
((timing)) && args+=(--timing)
((${#overrides[@]} > 0)) && args+=("${overrides[@]}")

echo "megabatch: ${args[*]}" >&2
exec "$bin" --log-level warn "${args[@]}"

#!/usr/bin/env bash
# megabatch's entry point, named after tokpidjin's run_card.sh whose loop it runs: `megabatch search`
# generates candidates by mutating what scored, runs every one of them on every task as one mega-batch a
# generation, and merges what passes into OUT's solver_dir/ and solver_md5/ (tokpidjin's layout).
#
# With no --tasks, the embedded default: synthesise 400 tasks from megabatch's own library
# (configs/programs, fixed seed), withhold the programs that made a third of them from the seeds, and
# search; the report shows how many withheld tasks the search finds on its own. tokpidjin's flags keep
# their meaning where they have one here.
set -euo pipefail
caller=$PWD
cd "$(dirname "$0")"
here=$PWD

usage() {
  cat <<'USAGE'
Usage: ./run_card.sh --megabatch [options]

Runs tokpidjin's generate-evaluate-keep loop inside megabatch (`megabatch search`): generation 0 runs the
seed programs on every task; each later generation mutates what passed and runs the children on every task,
merging what passes into OUT's solver_dir/ and solver_md5/. A search already in OUT is continued.
Without --tasks: 400 synthetic tasks whose generating programs are withheld from the seeds for a third
of them. Paths are relative to the folder you run it from.

  --megabatch         build if needed, then search (required)
  -i                  start afresh: remove OUT's search (generations/, solver_dir/, solver_md5/, its json and
                      plot) first, and make the synthetic tasks again; without --programs, seed from solvers_pre.py and solvers.py in the current
                      folder where they exist (tokpidjin's root), as its prep_solver_dir.py does
  -o                  one generation (one more when OUT holds a search), then stop
  -c COUNT            tasks: synthetic ones to make (default 400), or with --tasks the first COUNT;
                      negative: a seeded sample of |COUNT|
  -t TIMEOUT          per-evaluation wall budget in seconds (default from the config, 1 s)
  -b                  after each generation, remove solver_md5/ files no solver_dir link names
  -T                  after each generation, print its run report with the time by primitive
  -g                  force the GPU (without one: says so and runs on the CPU)
  -m                  force the CPU
  --time-budget D     no new generation after D (default 5m): 90s, 30m, 9h
  --generations N     stop after N generations in all (generation 0 runs the seeds)
  --children N        new candidates a generation (default 2000)
  --tasks PATH        task folder, task file or Kaggle *_challenges.json (default: synthesise tasks)
  --solutions FILE    Kaggle *_solutions.json with the test outputs (reported, never used to select)
  --programs PATH     seed solver file or folder, repeatable (default configs/programs)
  --out DIR           the search's root (default: out/megabatch in megabatch's folder)
  --config FILE       a configs/*.toml profile (default: configs/laptop.toml)
  --seed N            seed of the synthetic tasks and of the search (default 2026)
  --score-with-test   tokpidjin's rule: a matched test output counts in the scores that select
  --set KEY=VALUE     override one setting of the config, repeatable (e.g. --set cache=off)
  -h, --help          show this help
USAGE
}

# A path the caller gave, made absolute against the caller's folder.
from_caller() { if [[ "$1" == /* ]]; then printf '%s' "$1"; else printf '%s/%s' "$caller" "$1"; fi; }

mode=""
count=""
timeout_s=""
backend="auto"
timing=0
fresh=0
one=0
remove_unlinked=0
time_budget=""
generations=""
children=2000
tasks=""
solutions=""
programs=()
overrides=()
out="$here/out/megabatch"
config="$here/configs/laptop.toml"
seed=2026
score_with_test=0

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
    -o) one=1 ;;
    -i) fresh=1 ;;
    -b) remove_unlinked=1 ;;
    --time-budget) need "$1" $#; time_budget="$2"; shift ;;
    --generations) need "$1" $#; generations="$2"; shift ;;
    --children) need "$1" $#; children="$2"; shift ;;
    --tasks) need "$1" $#; tasks=$(from_caller "$2"); shift ;;
    --solutions) need "$1" $#; solutions=$(from_caller "$2"); shift ;;
    --programs) need "$1" $#; programs+=("$(from_caller "$2")"); shift ;;
    --out) need "$1" $#; out=$(from_caller "$2"); shift ;;
    --config) need "$1" $#; config=$(from_caller "$2"); shift ;;
    --seed) need "$1" $#; seed="$2"; shift ;;
    --score-with-test) score_with_test=1 ;;
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
if [[ -n "$generations" && ! "$generations" =~ ^[0-9]+$ ]]; then
  echo "run_card.sh: --generations needs a whole number, got '$generations'" >&2; exit 2
fi

# Build only when something is missing or out of date (ninja decides in well under a second).
# MEGABATCH_BIN names an already built binary instead (tests use it).
if [[ -n "${MEGABATCH_BIN:-}" ]]; then
  bin="$MEGABATCH_BIN"
else
  scripts/build.sh megabatch >&2
  bin="$here/build/megabatch"
fi

# -i removes the search's own files only: OUT may be tokpidjin's root, whose other files stay.
if ((fresh)); then
  for f in generations solver_dir solver_md5 search.json metrics.json solved.png; do rm -rf "${out:?}/$f"; done
  if ((${#programs[@]} == 0)); then
    for f in solvers_pre.py solvers.py; do [[ -f "$caller/$f" ]] && programs+=("$caller/$f"); done
  fi
fi
((${#programs[@]} > 0)) || programs=("$here/configs/programs")
mkdir -p "$out"

withheld=()
if [[ -z "$tasks" ]]; then
  # The embedded default: synthetic tasks from our own library (nothing downloaded); made once per search,
  # so a continued search runs on the same tasks (synth replaces only the task files it made before).
  tasks="$out/tasks"
  if ((fresh)) || [[ ! -f "$tasks/manifest.json" ]]; then
    n=${count:-400}
    n=${n#-}
    "$bin" --log-level warn synth --tasks "$n" --seed "$seed" --withhold 3 --out "$tasks" --programs "${programs[0]}"
  fi
  withheld=(--withheld "$tasks/manifest.json")
  count=""
fi

if [[ "$backend" == gpu ]] && ! { command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1; }; then
  echo "run_card.sh: -g: no GPU on this machine; running on the CPU" >&2
  backend=cpu
fi

args=(search --tasks "$tasks" --out "$out" --config "$config" --backend "$backend" --seed "$seed" --children "$children")
[[ -n "$solutions" ]] && args+=(--solutions "$solutions")
for p in "${programs[@]}"; do args+=(--seeds "$p"); done
((${#withheld[@]} > 0)) && args+=("${withheld[@]}")
[[ -n "$count" ]] && args+=(--count "$count")
if [[ -n "$timeout_s" ]]; then
  args+=(--set "budget.wall_ms=$(awk -v t="$timeout_s" 'BEGIN { printf "%d", t * 1000 }')")
fi
((timing)) && args+=(--timing)
((remove_unlinked)) && args+=(--remove-unlinked)
((score_with_test)) && args+=(--score-with-test)
done_before=0
if [[ -f "$out/search.json" ]]; then
  args+=(--resume)
  done_before=$(sed -n 's/.*"generations_done": *\([0-9]*\).*/\1/p' "$out/search.json")
  done_before=${done_before:-0}
fi
if ((one)); then
  args+=(--generations $((done_before + 1)))
elif [[ -n "$generations" ]]; then
  args+=(--generations "$generations")
  [[ -n "$time_budget" ]] && args+=(--time-budget "$time_budget")
else
  args+=(--time-budget "${time_budget:-5m}")
fi
((${#overrides[@]} > 0)) && args+=("${overrides[@]}")

echo "megabatch: ${args[*]}" >&2
exec "$bin" --log-level warn "${args[@]}"

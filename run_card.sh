#!/usr/bin/env bash
# megabatch's entry point, named after tokpidjin's run_card.sh whose pipeline megabatch replaces.
# --megabatch: bootstrap, configure, build, then the main job. For now the main job loads and checks the
# example tasks; tokpidjin's flags (-c -t -g -m -T -o -i) come with the evaluation pipeline.
set -euo pipefail
cd "$(dirname "$0")"

usage() {
  cat <<USAGE
Usage: ./run_card.sh --megabatch

  --megabatch   bootstrap, configure and build megabatch, then run the main job
                (now: build/megabatch tasks configs/examples)
  -h, --help    show this help
USAGE
}

mode=""
while (($# > 0)); do
  case "$1" in
    --megabatch) mode=megabatch ;;
    -h | --help) usage; exit 0 ;;
    *) echo "run_card.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
if [[ -z "$mode" ]]; then
  usage >&2
  exit 2
fi

scripts/build.sh megabatch
exec build/megabatch tasks configs/examples

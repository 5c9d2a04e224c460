#!/usr/bin/env bash
# One prepared run for a machine with a CUDA GPU (an H200 with 16 cores: under 8 minutes). Builds for
# the device's architecture into build-gpu/ ($BUILD), runs the tests labelled gpu (the parity suite of every
# device op on the device), sweeps batch sizes 1 to 65,536 for every device op and for whole
# evaluations of a four-op program run as slice plans (CPU reference on all cores, the host launcher,
# the device with its transfers), finds the batch size where the device overtakes the CPU, runs a cross
# product with --backend cpu, --backend gpu (min_gpu_batch "auto": the run's own probe) and the GPU
# taking every batch (outputs compared byte for byte, all timed), and writes everything into $OUT
# (default out/gpu-check): summary.txt,
# sweep.json, crossover.txt, throughput.png, the logs. Without a GPU it still runs the CPU parts and
# says so, so the script itself can be checked anywhere.
#   TASKS=dir PROGRAMS=file scripts/gpu-check.sh   # another cross product (default: 400 synthetic tasks
#                                                   # from configs/programs, since the machine may be offline)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-out/gpu-check}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
log() { printf '%s\n' "$*" | tee -a "$OUT/summary.txt"; }
: > "$OUT/summary.txt"
t0=$SECONDS

gpu=0
if command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >"$OUT/device.txt" 2>&1; then gpu=1; fi
log "gpu-check $(date -u +%FT%TZ) on $(nproc) cores; device: $( ((gpu)) && head -1 "$OUT/device.txt" || echo none)"
command -v nvcc >/dev/null && log "nvcc: $(nvcc --version | tail -1)"

# 1. Build for this device (native architecture when there is one) into $BUILD (default build-gpu).
BUILD=${BUILD:-build-gpu}
scripts/bootstrap.sh || log "bootstrap failed (an offline machine?): building with what is installed"
arch=()
((gpu)) && arch=(-DCMAKE_CUDA_ARCHITECTURES=native)
generator=()
[[ -f "$BUILD/CMakeCache.txt" ]] || generator=(-G Ninja)
cmake -S . -B "$BUILD" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release "${arch[@]}" >"$OUT/configure.txt"
grep '^-- megabatch:' "$OUT/configure.txt" | tee -a "$OUT/summary.txt" || true
cmake --build "$BUILD" --parallel "$(nproc)" --target megabatch megabatch_tests bench_grid_ops >"$OUT/build.txt" 2>&1 ||
  { tail -30 "$OUT/build.txt"; exit 1; }
log "built in $((SECONDS - t0)) s"

# 2. The device tests: the parity suite of every op, the copy path.
(cd "$BUILD" && ctest -L gpu --output-on-failure --parallel "$(nproc)") >"$OUT/gpu-tests.txt" 2>&1 || true
log "gpu tests: $(grep -E 'tests passed|tests failed' "$OUT/gpu-tests.txt" | tail -1)"
log "  skipped (no device): $(grep -c '\*\*\*Skipped' "$OUT/gpu-tests.txt" || true)"

# 3. The batch-size sweep, every op, every launcher.
MEGABATCH_BENCH_MAX_BATCH=65536 "$BUILD"/bench/bench_grid_ops --benchmark_min_time=0.05 \
  --benchmark_format=json --benchmark_out="$OUT/sweep.json" --benchmark_out_format=json >"$OUT/sweep.txt" 2>&1 || true

# 4. Crossover per op (the smallest batch where the device beats the CPU reference on all cores) and the plot.
python3 - "$OUT" <<'PY'
import json, sys, collections
out = sys.argv[1]
runs = json.load(open(f"{out}/sweep.json"))["benchmarks"]
rate = collections.defaultdict(dict)  # op -> (batch, launcher) -> items/s
for r in runs:
    if r.get("error_occurred"): continue
    name, batch, launcher = r["run_name"].split("/")[1], int(r["run_name"].split("batch:")[1].split("/")[0]), int(r["run_name"].split("launcher:")[1].split("/")[0])
    rate[name][(batch, launcher)] = r["items_per_second"]
lines = []
for op, d in sorted(rate.items()):
    batches = sorted({b for b, _ in d})
    cross = next((b for b in batches if d.get((b, 2), 0) > d.get((b, 0), float("inf"))), None)
    big = max(batches)
    ratio = d.get((big, 2), 0) / d[(big, 0)] if (big, 0) in d else 0
    host = d.get((big, 1), 0) / d[(big, 0)] if (big, 0) in d else 0
    lines.append(f"{op:12s} crossover {cross if cross else 'none':>6}  at batch {big}: device/cpu {ratio:6.2f}x, host launcher/cpu {host:5.2f}x")
open(f"{out}/crossover.txt", "w").write("\n".join(lines) + "\n")
# The plot: whole evaluations of the four-op program (bench_grid_ops' slice/ benchmark) against batch size.
program = "rot90_hconcat_replace_vmirror"
with open(f"{out}/throughput.dat", "w") as f:
    for launcher in (0, 1, 2):
        for b in sorted({b for b, _ in rate.get(program, {})}):
            v = rate.get(program, {}).get((b, launcher))
            if v: f.write(f"{b} {v}\n")
        f.write("\n\n")
PY
cat "$OUT/crossover.txt" >>"$OUT/summary.txt"
if command -v gnuplot >/dev/null; then
  gnuplot <<GP || true
set terminal pngcairo size 900,600
set output "$OUT/throughput.png"
set logscale xy
set xlabel "batch (evaluations)"
set ylabel "evaluations/s of O = vmirror(replace(hconcat(I, rot90(I)), 0, 5))"
set key left top
plot "$OUT/throughput.dat" index 0 with linespoints title "CPU reference, $(nproc) cores", \
     "" index 1 with linespoints title "host launcher", \
     "" index 2 with linespoints title "device (with transfers)"
GP
fi

# 5. The cross product with and without the GPU: same outputs, both timed.
tasks=${TASKS:-}
programs=${PROGRAMS:-configs/programs}
if [[ -z "$tasks" ]]; then
  tasks="$OUT/tasks"
  "$BUILD"/megabatch --log-level warn synth --tasks 400 --seed 2026 --out "$tasks" --programs configs/programs >/dev/null
fi
# cpu; gpu with min_gpu_batch "auto" (the probe sets the threshold, logged); gpu taking every batch.
for run in cpu gpu gpu-every; do
  backend=${run%-every}
  extra=()
  [[ $run == gpu-every ]] && extra=(--set batch.min_gpu_batch=0)
  rm -rf "$OUT/run-$run"
  s=$SECONDS
  "$BUILD"/megabatch --log-level info run --tasks "$tasks" --programs "$programs" --out "$OUT/run-$run" \
    --backend "$backend" --exhaustive --set batch.prune=off --set cache=off "${extra[@]}" >"$OUT/run-$run.txt" 2>&1 || true
  log "cross product, $run: $((SECONDS - s)) s; $(grep -E '^evaluations' "$OUT/run-$run.txt" || true)"
  grep -E 'executor|programs run whole|^routing:|self-test' "$OUT/run-$run.txt" >>"$OUT/summary.txt" || true
done
same=yes
for run in gpu gpu-every; do
  for f in results.jsonl submission.json; do
    cmp -s "$OUT/run-cpu/$f" "$OUT/run-$run/$f" || same=no
  done
done
log "cross product outputs byte-identical to the CPU's (results.jsonl, submission.json): $same"
log "done in $((SECONDS - t0)) s"

#!/usr/bin/env python3
"""Cross-product benchmark driver: every program against every task, megabatch vs CPython.

Runs `megabatch run` (waves: a pair stops at its first wrong demo output, as the Python
reference did) and prints evaluations per second, wall and CPU seconds and peak memory from
metrics.json. With --arc-dsl PATH it also runs CPython arc-dsl on the same cross product
(the solvers of PATH/solvers.py over the same tasks, stopping a pair at its first wrong demo,
a 1 s CPU-time limit per call) in --jobs processes and prints the CPU-time ratio; with
--tokpidjin PATH, CPython tokpidjin on the --programs solver file or solver_md5/ folder
(solve(S, I, None), its safe_dsl wrappers on).

    python3 bench/cross_product.py --tasks ../shared/arc-agi-1/training \
        --programs PATH/solvers.py [--arc-dsl PATH] [--jobs 2]
    python3 bench/cross_product.py --tasks ../shared/arc-agi-1/training \
        --programs PATH/solvers_pre.py --tokpidjin PATH [--jobs 2]
"""
import argparse
import json
import multiprocessing as mp
import os
import resource
import subprocess
import sys
import tempfile
import time

from cpython_reference import install_time_limit, load_solvers, load_tasks, load_tokpidjin_solvers, run_waves


def run_megabatch(binary, tasks, programs, threads, extra, out_root):
    out = tempfile.mkdtemp(prefix="megabatch-bench-", dir=out_root)
    # No result cache: this measures evaluation (a warm cache answers without running anything).
    cmd = [binary, "--log-level", "warn", "run", "--tasks", tasks, "--out", out, "--fresh", "--set", "cache=off"]
    for p in programs:
        cmd += ["--programs", p]
    if threads is not None:
        cmd += ["--threads", str(threads)]
    cmd += extra
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        sys.exit(f"megabatch failed ({proc.returncode}):\n{proc.stderr}")
    with open(os.path.join(out, "metrics.json")) as f:
        metrics = json.load(f)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return metrics, wall, cpu, out


# ---------------------------------------------------------------- CPython side

_solvers = _tasks = None


def _solvers_of(source, programs):
    kind, path = source
    return load_tokpidjin_solvers(path, programs, False) if kind == "tokpidjin" else load_solvers(path, canonical=False)


def _init_worker(source, programs, task_dir):
    global _solvers, _tasks
    _solvers = _solvers_of(source, programs)
    _tasks = load_tasks(task_dir, tokpidjin=source[0] == "tokpidjin")
    install_time_limit()


def _run_solver(name):
    """One solver against every task, demos only, as the waves run them: runs and passing pairs."""
    runs = passing = 0
    for task in _tasks.values():
        statuses, _ = run_waves(_solvers[name], task, 1.0, tests=False)
        runs += len(statuses)
        passing += statuses == ["match"] * len(task["train"])
    return runs, passing


def run_cpython(source, programs, task_dir, jobs):
    names = sorted(_solvers_of(source, programs))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    with mp.Pool(jobs, initializer=_init_worker, initargs=(source, programs, task_dir)) as pool:
        results = pool.map(_run_solver, names, chunksize=4)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return sum(r for r, _ in results), sum(p for _, p in results), wall, cpu


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", default="build/megabatch")
    ap.add_argument("--tasks", required=True, help="folder of ARC task files")
    ap.add_argument("--programs", action="append", required=True)
    ap.add_argument("--threads", type=int)
    ap.add_argument("--arc-dsl", help="a local arc-dsl checkout: also run CPython on the same cross product")
    ap.add_argument("--tokpidjin", help="a local tokpidjin checkout: also run CPython tokpidjin on --programs")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="CPython worker processes")
    # CPython's side writes nothing: megabatch's outputs go to memory where it can, so that the
    # comparison is of evaluation and not of a disk's metadata work (--out-root to choose).
    ap.add_argument("--out-root", default="/dev/shm" if os.path.isdir("/dev/shm") else None,
                    help="where megabatch's output folder is made (default /dev/shm where present)")
    ap.add_argument("extra", nargs="*", help="extra arguments for megabatch run (after --)")
    a = ap.parse_args()

    m, wall, cpu, out = run_megabatch(a.binary, a.tasks, a.programs, a.threads, a.extra, a.out_root)
    evals = m["evaluations"]
    print(f"megabatch: {m['tasks']} tasks x {m['programs']} programs, {m['dag_nodes']} DAG nodes "
          f"({m['dag_nodes_unshared']} unshared)")
    print(f"megabatch: {evals} evaluations ({m.get('pruned', 0)} of them stopped early as proven mismatches; "
          f"{m['skipped_by_waves']} more skipped by waves), "
          f"{m['passing_pairs']} passing pairs")
    print(f"megabatch: {wall:.2f} s wall, {cpu:.2f} CPU-s, {evals / wall:,.0f} evaluations/s, "
          f"peak memory {m['peak_memory_bytes'] / 2**20:.0f} MiB, batches {m['batches']['count']}")
    print(f"megabatch: outputs in {out}")
    if a.arc_dsl or a.tokpidjin:
        source = ("tokpidjin", a.tokpidjin) if a.tokpidjin else ("arc-dsl", a.arc_dsl)
        runs, passing, pwall, pcpu = run_cpython(source, a.programs[0], a.tasks, a.jobs)
        print(f"cpython:   {runs} runs, {passing} passing pairs, {pwall:.1f} s wall, {pcpu:.1f} CPU-s "
              f"({runs / pcpu:,.0f} runs per CPU-s)")
        print(f"ratio:     {pcpu / cpu:.1f}x fewer CPU-seconds, {pwall / wall:.1f}x less wall time")


if __name__ == "__main__":
    main()

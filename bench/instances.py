#!/usr/bin/env python3
"""Many instances on one machine: N `megabatch run`s at once on the same tasks and programs, each
with one thread, sharing one result cache and one library (--library), as tokpidjin's server runs 8
run_card.sh instances. Two rounds: the first on an empty cache, the second on the cache the first
left. Prints each instance's wall time and cache hits, the slowest over the fastest, and the hit rate
across instances; and one instance alone without a cache, for comparison.

    python3 bench/instances.py --tasks ../shared/arc-agi-1/training --programs PATH/solvers.py [-n 8]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time


def start(binary, tasks, programs, out, library, cache_dir, extra):
    cmd = [binary, "--log-level", "warn", "run", "--tasks", tasks, "--programs", programs, "--out", out,
           "--library", library, "--threads", "1", "--set", f"cache_dir={cache_dir}", *extra]
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def round_of(n, binary, tasks, programs, root, name, cache_dir, extra=()):
    procs, starts = [], []
    for k in range(n):
        out = os.path.join(root, f"{name}-{k}")
        starts.append(time.monotonic())
        procs.append(start(binary, tasks, programs, out, os.path.join(root, "library"), cache_dir, extra))
    rows = []
    pending = set(range(n))
    ends = [0.0] * n
    while pending:
        for k in list(pending):
            if procs[k].poll() is not None:
                ends[k] = time.monotonic()
                pending.discard(k)
        time.sleep(0.01)
    for k, p in enumerate(procs):
        err = p.stderr.read()
        if p.returncode not in (0, 1):
            sys.exit(f"instance {k} failed ({p.returncode}):\n{err}")
        m = json.load(open(os.path.join(root, f"{name}-{k}", "metrics.json")))
        c = m.get("cache", {})
        rows.append((ends[k] - starts[k], c.get("hits", 0), c.get("misses", 0), m["evaluations"]))
    return rows


def report(title, rows):
    walls = [r[0] for r in rows]
    hits, misses = sum(r[1] for r in rows), sum(r[2] for r in rows)
    print(f"{title}: slowest/fastest {max(walls) / min(walls):.2f}, hit rate {hits / max(1, hits + misses):.1%}, "
          f"evaluations {sum(r[3] for r in rows)}")
    for k, (wall, h, m, e) in enumerate(rows):
        print(f"  instance {k}: {wall:6.2f} s  hits {h:7d}  misses {m:7d}  evaluations {e}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--binary", default=os.path.join(os.path.dirname(__file__), "..", "build", "megabatch"))
    ap.add_argument("--tasks", required=True)
    ap.add_argument("--programs", required=True)
    ap.add_argument("-n", type=int, default=8)
    a = ap.parse_args()
    root = tempfile.mkdtemp(prefix="megabatch-instances-")
    try:
        cache = os.path.join(root, "cache")
        t0 = time.monotonic()
        alone = round_of(1, a.binary, a.tasks, a.programs, root, "alone", cache, ("--set", "cache=off"))
        print(f"one instance alone, no cache: {alone[0][0]:.2f} s, evaluations {alone[0][3]}")
        report(f"round 1, {a.n} instances, empty cache", round_of(a.n, a.binary, a.tasks, a.programs, root, "cold", cache))
        report(f"round 2, {a.n} instances, warm cache", round_of(a.n, a.binary, a.tasks, a.programs, root, "warm", cache))
        print(f"({time.monotonic() - t0:.1f} s in all; {os.cpu_count()} cores)")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()

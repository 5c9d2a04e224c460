#!/usr/bin/env python3
"""Differential check: megabatch against CPython arc-dsl or tokpidjin on the same cross product.

Runs `megabatch run` (waves: a pair stops at its first wrong demo output) and CPython arc-dsl on
every (solver, task) pair of the same cross product, and compares every pair that reproduces at
least one demo output on either side: per-demo statuses (match, mismatch, error, budget/timeout)
and test predictions. A pair that differs is run again in CPython with every frozenset and set
iterating in megabatch's canonical ascending order (docs/SEMANTICS.md section 1, with a 4 s limit
since sorting on every iteration is slow); a difference that disappears then is the deliberate
set-order divergence; one where CPython ran out of time and megabatch did not is reported as such
(CPython's limit is CPU time, so a loaded machine makes more of them); any other is reported as
unexplained and makes the exit status 1.

    python3 bench/differential.py --tasks DIR --arc-dsl PATH [--jobs 2] [--binary build/megabatch]
    python3 bench/differential.py --tasks DIR --tokpidjin PATH [--programs FILE|DIR] [--jobs 2]
    python3 bench/differential.py --own --tasks DIR --tokpidjin PATH | --arc-dsl PATH

With --own each solver solve_<id> runs on task <id> only, on every sample (megabatch run --own): every
pair is compared, demo and test statuses (match, mismatch, error, budget) and every test output, whether
or not the pair matched anything.

With --tokpidjin the solvers are tokpidjin's (its solvers_pre.py unless --programs names another
solver file or a solver_md5/ folder), run on its dsl.py as tokpidjin runs them: solve(S, I, None).
CPython arc-dsl needs about 530 CPU-seconds for 400 tasks (1 s limit per call, CPU time).
"""
import argparse
import multiprocessing as mp
import os
import sys
import tempfile

from cpython_reference import (as_prediction, install_time_limit, load_solvers, load_tasks, load_tokpidjin_solvers,
                               megabatch_results, run_one, run_pair, run_waves)


_solvers = _tasks = None


def solvers_of(a, canonical):
    if a.tokpidjin:
        return load_tokpidjin_solvers(a.tokpidjin, a.programs, canonical)
    return load_solvers(a.arc_dsl, canonical=canonical)


def _init(a, tasks):
    global _solvers, _tasks
    _solvers = solvers_of(a, canonical=False)
    _tasks = tasks
    install_time_limit()


def _solver_pairs(name):
    rows = {}
    for task_id, task in _tasks.items():
        r = run_pair(_solvers[name], task, 1.0)
        if r is not None:
            rows[(name, task_id)] = r
    return rows


def _own_pair(name):
    task_id = name[len("solve_"):]
    task = _tasks.get(task_id)
    return {(name, task_id): all_samples(_solvers[name], task, 1.0)} if task else {}


def all_samples(fn, task, limit):
    """Every demo's status and test status, and every test output (a grid or None), as --own reports them."""
    train = [status for status in (sample_status(fn, task, inp, out, limit) for inp, out in task["train"])]
    test, predictions = [], []
    for inp, out in zip(task["test"], task["test_outputs"]):
        kind, result = run_one(fn, task, inp, limit)
        predictions.append(as_prediction(result) if kind == "ok" else None)
        test.append(("match" if result == out else "mismatch") if kind == "ok" else kind)
    return train, test, predictions


def sample_status(fn, task, inp, out, limit):
    kind, result = run_one(fn, task, inp, limit)
    return ("match" if result == out else "mismatch") if kind == "ok" else kind


def short(x, n=200):
    text = str(x)
    return text if len(text) < n else text[:n] + "..."


def megabatch_pairs(binary, tasks_dir, solvers_py, own=False):
    out = tempfile.mkdtemp(prefix="megabatch-differential-")
    rows = {}
    for r in megabatch_results(binary, tasks_dir, solvers_py, out, ["--own"] if own else []):
        if own:
            rows[(r["program"], r["task"])] = (r["train"], r["test"], r["predictions"])
            continue
        statuses = [s for s in r["train"] if s != "skipped"]
        rows[(r["program"], r["task"])] = (statuses, r["predictions"] if r["pass"] else None)
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", default="build/megabatch")
    ap.add_argument("--tasks", required=True, help="folder of ARC task files")
    source = ap.add_mutually_exclusive_group(required=True)
    source.add_argument("--arc-dsl", help="a local arc-dsl checkout (dsl.py, solvers.py)")
    source.add_argument("--tokpidjin", help="a local tokpidjin checkout (dsl.py, constants.py, solvers_pre.py)")
    ap.add_argument("--programs", help="with --tokpidjin: a solver file or solver_md5/ folder (default solvers_pre.py)")
    ap.add_argument("--own", action="store_true", help="each solve_<id> on task <id> only, every sample compared")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="CPython worker processes")
    a = ap.parse_args()
    if a.tokpidjin and not a.programs:
        a.programs = os.path.join(a.tokpidjin, "solvers_pre.py")

    ours = megabatch_pairs(a.binary, a.tasks, a.programs if a.tokpidjin else os.path.join(a.arc_dsl, "solvers.py"),
                           a.own)
    tasks = load_tasks(a.tasks, tokpidjin=bool(a.tokpidjin))
    names = sorted(solvers_of(a, canonical=False))
    cpython = {}
    with mp.Pool(a.jobs, initializer=_init, initargs=(a, tasks)) as pool:
        for rows in pool.imap_unordered(_own_pair if a.own else _solver_pairs, names, chunksize=2):
            cpython.update(rows)

    differing = sorted(k for k in set(ours) | set(cpython) if ours.get(k) != cpython.get(k))
    canonical = solvers_of(a, canonical=True)
    install_time_limit()
    unexplained = timed_out = 0
    for program, task_id in differing:
        # sorting on every iteration makes canonical CPython a few times slower: a longer limit
        if a.own:
            again = all_samples(canonical[program], tasks[task_id], 4.0)
            statuses = again[0] + again[1]
            if again == ours.get((program, task_id)):
                print(f"set order: {program} on {task_id}: megabatch {short(ours.get((program, task_id))[:2])}, "
                      f"CPython {short(cpython.get((program, task_id), ())[:2])}")
                continue
        else:
            statuses, predictions = run_waves(canonical[program], tasks[task_id], 4.0)
            if ((statuses, predictions) if "match" in statuses else None) == ours.get((program, task_id)):
                print(f"set order: {program} on {task_id}: megabatch {short((ours.get((program, task_id)) or ())[:1])}, "
                      f"CPython {short((cpython.get((program, task_id)) or ())[:1])}")
                continue
        ours_text = str(ours.get((program, task_id)))
        ours_text = ours_text if len(ours_text) < 200 else ours_text[:200] + "..."
        if "budget" in statuses and "budget" not in str(ours.get((program, task_id))):
            # CPython ran out of time where megabatch finished within its budget: not a semantic difference
            timed_out += 1
            print(f"CPython time limit: {program} on {task_id}: megabatch {ours_text}")
            continue
        unexplained += 1
        print(f"unexplained: {program} on {task_id}: megabatch {ours_text}, CPython {cpython.get((program, task_id))}, "
              f"canonical CPython {statuses}")
    print(f"{'own pairs' if a.own else 'pairs with a matched demo'}: megabatch {len(ours)}, CPython {len(cpython)}; "
          f"{len(differing)} differ from CPython, {len(differing) - unexplained - timed_out} of them agree with "
          f"CPython in canonical set order, {timed_out} only where CPython ran out of time, {unexplained} unexplained")
    sys.exit(1 if unexplained else 0)


if __name__ == "__main__":
    main()

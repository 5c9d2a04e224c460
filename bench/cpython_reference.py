"""CPython arc-dsl and tokpidjin as the bench drivers run them: solvers loaded from a checkout
(optionally with every frozenset and set iterating in megabatch's canonical order), task folders,
and one (solver, task) pair run the way megabatch's waves run it, under a CPU-time limit per call.
A tokpidjin solver is called as tokpidjin calls it, solve(S, I, None) with S the task's demo pairs.
Used by cross_product.py (speed) and differential.py (results).
"""
import json
import os
import signal
import sys
import types


# Canonical set order in CPython: the one implementation, shared with the tokpidjin drivers.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tokpidjin_reference import CanonicalFrozenset, CanonicalSet  # noqa: E402


def load_arc_dsl(arc_dsl, canonical):
    """The namespace an arc-dsl solver file sees after `from dsl import *` and `from constants import *`,
    optionally with every frozenset and set iterating in canonical order."""
    sys.path.insert(0, arc_dsl)
    sys.setrecursionlimit(3000)
    dsl = types.ModuleType("dsl")
    dsl.__file__ = os.path.join(arc_dsl, "dsl.py")
    if canonical:
        dsl.frozenset, dsl.set = CanonicalFrozenset, CanonicalSet
    with open(dsl.__file__) as f:
        exec(compile(f.read(), dsl.__file__, "exec"), dsl.__dict__)
    namespace = {k: v for k, v in dsl.__dict__.items() if not k.startswith("__")}
    constants = {}
    with open(os.path.join(arc_dsl, "constants.py")) as f:
        exec(compile(f.read(), "constants.py", "exec"), constants)
    namespace.update({k: v for k, v in constants.items() if not k.startswith("__")})
    return namespace


def load_solvers(arc_dsl, canonical):
    """arc-dsl's solvers, optionally on a dsl module whose frozenset and set are the canonical ones."""
    sys.path.insert(0, arc_dsl)
    sys.setrecursionlimit(3000)
    for name in ("dsl", "solvers"):  # a fresh import each time: plain and canonical are both wanted
        sys.modules.pop(name, None)
    if canonical:
        # Module globals shadow builtins: binding the names before dsl.py runs is enough, and
        # `from dsl import *` hands them on to solvers.py.
        dsl = types.ModuleType("dsl")
        dsl.__file__ = os.path.join(arc_dsl, "dsl.py")
        dsl.frozenset, dsl.set = CanonicalFrozenset, CanonicalSet
        with open(dsl.__file__) as f:
            exec(compile(f.read(), dsl.__file__, "exec"), dsl.__dict__)
        sys.modules["dsl"] = dsl
    import solvers  # noqa: E402  (the checkout's own module)
    return {n: getattr(solvers, n) for n in dir(solvers) if n.startswith("solve_")}


# ------------------------------------------------------------------ one pair, as the waves run it

class _Timeout(BaseException):
    """Not an Exception: tokpidjin's safe_dsl catches those and would turn a timeout into a default."""


def _alarm(signum, frame):
    raise _Timeout()


def _as_grid(rows):
    return tuple(tuple(r) for r in rows)


def _run(fn, task, grid, limit):
    try:
        try:
            signal.setitimer(signal.ITIMER_VIRTUAL, limit)
            result = fn(task["S"], grid, None) if task.get("tokpidjin") else fn(grid)
        finally:
            signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        return "ok", result
    except _Timeout:
        return "budget", None
    except BaseException:  # noqa: BLE001  (any failure of a candidate is an error)
        return "error", None


def as_prediction(result):
    """The grid a result offers as a test prediction, as megabatch reads one (graph/executors.cpp
    as_grid): an ARC grid, 1 to 30 equally long rows of 1 to 30 ints 0-9; None otherwise."""
    if not isinstance(result, tuple) or not 1 <= len(result) <= 30 or not all(isinstance(r, tuple) for r in result):
        return None
    width = len(result[0])
    if not 1 <= width <= 30 or any(len(r) != width for r in result):
        return None
    if not all(isinstance(v, int) and 0 <= v <= 9 for r in result for v in r):
        return None
    return [[int(v) for v in r] for r in result]


def megabatch_results(binary, tasks, programs, out, extra=()):
    """`megabatch run` of `programs` over `tasks` into `out` (a fresh run): its results.jsonl rows."""
    import subprocess
    # No result cache: the comparison is of what the engine computes now, not of what it kept.
    cmd = [binary, "--log-level", "warn", "run", "--tasks", tasks, "--programs", programs, "--out", out, "--fresh",
           "--set", "cache=off",
           *extra]
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if proc.returncode not in (0, 1):  # 1: some input was rejected, the rest ran
        sys.exit(f"megabatch failed ({proc.returncode}):\n{proc.stderr}")
    with open(os.path.join(out, "results.jsonl")) as f:
        return [json.loads(line) for line in f if line.strip()]


def run_one(fn, task, grid, limit):
    """("ok", result), ("error", None) or ("budget", None): one call under the CPU-time limit."""
    return _run(fn, task, grid, limit)


def install_time_limit():
    """Makes run_waves' per-call limit raise; call once per process before running pairs."""
    signal.signal(signal.SIGVTALRM, _alarm)


def run_pair(fn, task, limit):
    """(statuses up to the first wrong demo, test predictions when every demo matched) or None."""
    statuses, predictions = run_waves(fn, task, limit)
    return (statuses, predictions) if "match" in statuses else None


def run_waves(fn, task, limit, tests=True):
    """Statuses up to the first wrong demo, and the test predictions when every demo matched
    (None without `tests`)."""
    statuses = []
    for inp, out in task["train"]:
        kind, result = _run(fn, task, inp, limit)
        if kind == "ok" and result == out:
            statuses.append("match")
        else:
            statuses.append("mismatch" if kind == "ok" else kind)
            break
    predictions = None
    if tests and statuses == ["match"] * len(task["train"]):
        predictions = []
        for inp in task["test"]:
            kind, result = _run(fn, task, inp, limit)
            predictions.append(as_prediction(result) if kind == "ok" else None)
    return statuses, predictions


def load_tasks(folder, tokpidjin=False):
    """Task files as the runners take them; `tokpidjin` adds S, the demo pairs a solver is given."""
    tasks = {}
    for name in sorted(os.listdir(folder)):
        if name.endswith(".json"):
            with open(os.path.join(folder, name)) as f:
                t = json.load(f)
            train = [(_as_grid(p["input"]), _as_grid(p["output"])) for p in t["train"]]
            tasks[name[:-5]] = {"train": train, "test": [_as_grid(p["input"]) for p in t["test"]],
                                "test_outputs": [_as_grid(p["output"]) if "output" in p else None for p in t["test"]],
                                "S": tuple(train), "tokpidjin": tokpidjin}
    return tasks


def load_tokpidjin_solvers(tokpidjin, programs, canonical):
    """tokpidjin's solver functions of `programs` (a solver file such as solvers_pre.py, or a
    solver_md5/ folder whose files each define `solve`, named by their file as megabatch names
    them), run on a checkout's dsl.py."""
    from tokpidjin_reference import load_dsl, load_solvers as load_file
    namespace = load_dsl(tokpidjin, canonical=canonical)
    if os.path.isdir(programs):
        solvers = {}
        for root, _, files in sorted(os.walk(programs)):
            for name in sorted(files):
                if name.endswith(".py"):
                    found = load_file(os.path.realpath(os.path.join(root, name)), namespace)
                    for fn_name, fn in found.items():
                        solvers[name[:-3] if fn_name == "solve" else fn_name] = fn
        return solvers
    return load_file(programs, namespace)

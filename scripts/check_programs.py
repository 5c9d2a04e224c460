#!/usr/bin/env python3
"""Checks megabatch's own solver-program library against arc-dsl.

Usage: python3 scripts/check_programs.py ARC_DSL_DIR [PROGRAMS_DIR] [--n 200] [--seed 0]

ARC_DSL_DIR is a checkout of michaelhodel/arc-dsl: its dsl.py and constants.py are imported from
there (nothing of arc-dsl is vendored here). PROGRAMS_DIR (default configs/programs) holds *.py files
of programs in the restricted solver form that megabatch's parser accepts:

    # <one-line comment saying the rule>
    def solve_<name>(I):
        x1 = primitive(arg, ...)
        O = primitive_or_variable(arg, ...)
        return O

The script
  1. checks the form of every program (comment line, name, assignment-only body, x1..xn then O,
     arguments that are I, earlier variables, primitives or constants; no literals, no nesting)
     and that names are unique across the library;
  2. draws --n random input grids (fixed seed) like the task synthesiser does: 3x3..30x30, a
     background colour (often 0) and 1-6 single-colour objects (rectangles and connected blobs);
  3. runs every program on every input and reports, per program: error rate, rate of
     output == input, rate of oversize/empty outputs (over 30x30 or no cells), number of distinct
     outputs, and order sensitivity (see below);
  4. reports pairs of programs whose outputs are identical on all inputs (duplicates) and pairs
     that agree on at least 90% of the inputs (near duplicates, a warning only).

Set iteration order. megabatch iterates every frozenset in one canonical ascending order
(docs/SEMANTICS.md section 1) where CPython uses hash order. The primitives whose result depends on
that order (first, last, extract, totuple, order, argmax, argmin, mostcommon, leastcommon,
mostcolor, leastcolor, color, colorfilter, paint, underpaint) are wrapped here so that they see
their frozenset arguments in canonical order: the outputs checked are megabatch's. Every program is
also run with the reverse order; 'tie%' is the share of inputs where the two differ (the rule
depends on a tie-break there), 'py%' the share where plain CPython arc-dsl differs from megabatch.

Exit status 0 when every program has the right form, runs without error on >= 80% of the inputs,
changes the input on >= 80% of them and no two programs are duplicates; 1 otherwise.
"""
import argparse
import ast
import importlib.util
import os
import random
import signal
import sys
from collections import Counter, defaultdict

MIN_OK = 0.80       # share of inputs a program must run on without error
MIN_CHANGED = 0.80  # share of inputs whose output must differ from the input
MAX_SIDE = 30
TIME_LIMIT_S = 5    # per program run


# ----------------------------------------------------------------------------------------------
# arc-dsl import

def load_module(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def load_arc_dsl(root):
    for f in ("dsl.py", "constants.py"):
        if not os.path.isfile(os.path.join(root, f)):
            sys.exit(f"{root}: no {f} there; pass the path of an arc-dsl checkout")
    sys.dont_write_bytecode = True  # leave the arc-dsl checkout as it is
    # dsl.py does `from arc_types import *`; make the checkout importable for that.
    sys.path.insert(0, os.path.abspath(root))
    constants = load_module("constants", os.path.join(root, "constants.py"))
    dsl = load_module("dsl", os.path.join(root, "dsl.py"))
    primitives = {n: f for n, f in vars(dsl).items()
                  if callable(f) and getattr(f, "__module__", None) == "dsl" and not n.startswith("_")}
    consts = {n: v for n, v in vars(constants).items() if n.isupper()}
    return dsl, primitives, consts


# ----------------------------------------------------------------------------------------------
# Canonical set order (megabatch): ints < tuples < frozensets < functions; tuples lexicographic;
# a set by its members' ascending sequence.

def ckey(x):
    if isinstance(x, (bool, int)):
        return (0, int(x))
    if isinstance(x, tuple):
        return (1, tuple(ckey(e) for e in x))
    if isinstance(x, (frozenset, set)):
        return (2, tuple(sorted(ckey(e) for e in x)))
    return (3, getattr(x, "__name__", ""), id(x))


class Order:
    """Which order wrapped primitives iterate sets in: 'asc' (megabatch), 'desc' or 'native'."""
    mode = "asc"


def seq(container):
    """The container as a sequence in the current order (tuples and lists keep theirs)."""
    if isinstance(container, (frozenset, set)) and Order.mode != "native":
        return sorted(container, key=ckey, reverse=(Order.mode == "desc"))
    return container


def install_order_wrappers(dsl, primitives):
    """Replaces the order-dependent primitives, in dsl's namespace too (other primitives call
    them), by versions that iterate sets in Order.mode's order. Each keeps its parameter list,
    which rbind/lbind inspect."""
    orig = dict(primitives)

    def first(container):
        return next(iter(seq(container)))

    def last(container):
        return list(seq(container))[-1]

    def extract(container, condition):
        return next(e for e in seq(container) if condition(e))

    def totuple(container):
        return tuple(seq(container))

    def order(container, compfunc):
        return tuple(sorted(seq(container), key=compfunc))

    def argmax(container, compfunc):
        return max(seq(container), key=compfunc)

    def argmin(container, compfunc):
        return min(seq(container), key=compfunc)

    def _candidates(values):
        distinct = set(values)
        return distinct if Order.mode == "native" else seq(frozenset(distinct))

    def mostcommon(container):
        return max(_candidates(container), key=container.count)

    def leastcommon(container):
        return min(_candidates(container), key=container.count)

    def _values(element):
        return [v for r in element for v in r] if isinstance(element, tuple) else [v for v, _ in element]

    def mostcolor(element):
        values = _values(element)
        return max(_candidates(values), key=values.count)

    def leastcolor(element):
        values = _values(element)
        return min(_candidates(values), key=values.count)

    def color(obj):
        return next(iter(seq(obj)))[0]

    def colorfilter(objs, value):
        return frozenset(obj for obj in objs if next(iter(seq(obj)))[0] == value)

    def paint(grid, obj):
        return orig["paint"](grid, tuple(seq(obj)))

    def underpaint(grid, obj):
        return orig["underpaint"](grid, tuple(seq(obj)))

    wrapped = dict(first=first, last=last, extract=extract, totuple=totuple, order=order,
                   argmax=argmax, argmin=argmin, mostcommon=mostcommon, leastcommon=leastcommon,
                   mostcolor=mostcolor, leastcolor=leastcolor, color=color, colorfilter=colorfilter,
                   paint=paint, underpaint=underpaint)
    for name, f in wrapped.items():
        if name not in primitives:
            continue
        f.__name__ = name
        setattr(dsl, name, f)
        primitives[name] = f


# ----------------------------------------------------------------------------------------------
# Program form

class FormError(Exception):
    pass


def check_form(path, source, primitives, consts):
    """Returns ([(name, comment, lineno)], [error]) for the programs in one file: a program with a
    form error is reported and left out, the file's other programs are kept."""
    tree = ast.parse(source, filename=path)
    lines = source.splitlines()
    out = []
    errors = []
    for node in tree.body:
        try:
            out.append(check_function(path, node, lines, primitives, consts))
        except FormError as e:
            errors.append(str(e))
    return out, errors


def check_function(path, node, lines, primitives, consts):
    """Returns (name, comment, lineno) of one top-level statement; raises FormError."""
    where = f"{path}:{node.lineno}"
    if not isinstance(node, ast.FunctionDef):
        raise FormError(f"{where}: only function definitions are allowed at top level")
    name = node.name
    if not name.startswith("solve_") or len(name) <= len("solve_") or name != name.lower():
        raise FormError(f"{where}: function name must be solve_<snake_case>")
    args = node.args
    if ([a.arg for a in args.args] != ["I"] or args.vararg or args.kwarg or args.kwonlyargs
            or args.defaults or args.posonlyargs or node.decorator_list or node.returns):
        raise FormError(f"{where}: {name} must be declared as def {name}(I):")
    comment = lines[node.lineno - 2].strip() if node.lineno >= 2 else ""
    if not comment.startswith("#") or len(comment.lstrip("# ").strip()) < 10:
        raise FormError(f"{where}: {name} must be preceded by a one-line '# rule' comment")
    body = node.body
    if len(body) < 2 or not isinstance(body[-1], ast.Return) or \
            not (isinstance(body[-1].value, ast.Name) and body[-1].value.id == "O"):
        raise FormError(f"{where}: {name} must end with 'return O'")
    defined = {"I"}
    for k, stmt in enumerate(body[:-1]):
        sw = f"{path}:{stmt.lineno}: {name}"
        last = k == len(body) - 2
        if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
                and isinstance(stmt.targets[0], ast.Name)):
            raise FormError(f"{sw}: only 'var = call(...)' lines are allowed")
        target = stmt.targets[0].id
        want = "O" if last else f"x{k + 1}"
        if target != want:
            raise FormError(f"{sw}: expected assignment to {want}, found {target}")
        call = stmt.value
        if not isinstance(call, ast.Call) or call.keywords or not isinstance(call.func, ast.Name):
            raise FormError(f"{sw}: right-hand side must be a call of a primitive or variable")
        if call.func.id not in primitives and call.func.id not in defined - {"I"}:
            raise FormError(f"{sw}: '{call.func.id}' is neither a primitive nor a variable")
        if not call.args:
            raise FormError(f"{sw}: calls need at least one argument")
        for a in call.args:
            if not isinstance(a, ast.Name):
                raise FormError(f"{sw}: argument '{ast.unparse(a)}' is not a name "
                                "(no literals, no nested calls)")
            if a.id not in defined and a.id not in primitives and a.id not in consts:
                raise FormError(f"{sw}: unknown or not yet defined name '{a.id}'")
        defined.add(target)
    return (name, comment.lstrip("#").strip(), node.lineno)


def load_programs(folder, primitives, consts):
    programs = []  # (name, comment, file, function source)
    errors = []
    seen = {}
    for fn in sorted(os.listdir(folder)):
        if not fn.endswith(".py"):
            continue
        path = os.path.join(folder, fn)
        with open(path) as f:
            source = f.read()
        try:
            found, bad = check_form(path, source, primitives, consts)
        except SyntaxError as e:
            errors.append(str(e))
            continue
        errors.extend(bad)
        for name, comment, line in found:
            if name in seen:
                errors.append(f"{path}:{line}: {name} already defined in {seen[name]}")
                continue
            seen[name] = f"{path}"
            programs.append((name, comment, fn, source))
    return programs, errors


# ----------------------------------------------------------------------------------------------
# Input distribution

def random_blob(rng, max_h, max_w, target):
    """A 4-connected blob of up to target cells grown from one cell, within max_h x max_w."""
    cells = [(0, 0)]
    members = {(0, 0)}
    tries = 0
    while len(cells) < target and tries < 20 * target:
        tries += 1
        i, j = rng.choice(cells)
        di, dj = rng.choice(((1, 0), (-1, 0), (0, 1), (0, -1)))
        c = (i + di, j + dj)
        if c in members:
            continue
        rows = [a for a, _ in cells] + [c[0]]
        cols = [b for _, b in cells] + [c[1]]
        if max(rows) - min(rows) + 1 > max_h or max(cols) - min(cols) + 1 > max_w:
            continue
        cells.append(c)
        members.add(c)
    mi = min(a for a, _ in cells)
    mj = min(b for _, b in cells)
    return {(a - mi, b - mj) for a, b in cells}


def random_input(rng):
    h, w = rng.randint(3, 30), rng.randint(3, 30)
    bg = 0 if rng.random() < 0.6 else rng.randint(1, 9)
    colours = [c for c in range(10) if c != bg]
    grid = [[bg] * w for _ in range(h)]
    taken = set()        # object cells
    halo = set()         # object cells and their 8-neighbours
    budget = max(1, (h * w * 2) // 5)  # keep the background the most common colour
    n = rng.randint(1, 6)
    placed = 0
    palette_size = rng.randint(1, 4)
    object_colours = rng.sample(colours, palette_size)
    for _ in range(n):
        colour = rng.choice(object_colours) if rng.random() < 0.5 else rng.choice(colours)
        for _attempt in range(40):
            max_h = max(1, min(h - 1 if h > 3 else h, rng.randint(1, max(1, h // 2))))
            max_w = max(1, min(w - 1 if w > 3 else w, rng.randint(1, max(1, w // 2))))
            if rng.random() < 0.5:
                rh, rw = rng.randint(1, max_h), rng.randint(1, max_w)
                shape = {(a, b) for a in range(rh) for b in range(rw)}
            else:
                target = rng.randint(1, max(1, min(max_h * max_w, 20)))
                shape = random_blob(rng, max_h, max_w, target)
            sh = max(a for a, _ in shape) + 1
            sw = max(b for _, b in shape) + 1
            if sh > h or sw > w or len(shape) > budget:
                continue
            oi, oj = rng.randint(0, h - sh), rng.randint(0, w - sw)
            cells = {(a + oi, b + oj) for a, b in shape}
            touching_ok = rng.random() < 0.1
            if cells & (taken if touching_ok else halo):
                continue
            for i, j in cells:
                grid[i][j] = colour
                taken.add((i, j))
                for di in (-1, 0, 1):
                    for dj in (-1, 0, 1):
                        halo.add((i + di, j + dj))
            budget -= len(cells)
            placed += 1
            break
    if placed == 0:  # always at least one object
        i, j = rng.randrange(h), rng.randrange(w)
        grid[i][j] = colours[0]
    return tuple(tuple(r) for r in grid)


# ----------------------------------------------------------------------------------------------
# Running

class Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise Timeout()


def is_grid(x):
    return (isinstance(x, tuple) and all(isinstance(r, tuple) for r in x)
            and all(isinstance(v, int) and not isinstance(v, bool) for r in x for v in r)
            and len({len(r) for r in x}) <= 1)


def run_one(fn, grid):
    """Returns ('ok', grid) / ('err', message)."""
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(TIME_LIMIT_S)
    try:
        out = fn(grid)
    except Timeout:
        return ("err", "timeout")
    except RecursionError:
        return ("err", "RecursionError")
    except Exception as e:  # noqa: BLE001 - any evaluation error counts
        return ("err", f"{type(e).__name__}: {e}"[:80])
    finally:
        signal.alarm(0)
    if not is_grid(out):
        return ("err", f"not a grid: {type(out).__name__}")
    if any(not 0 <= v <= 9 for r in out for v in r):
        return ("err", "cell value outside 0..9")
    return ("ok", out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("arc_dsl", help="path of an arc-dsl checkout (dsl.py, constants.py)")
    ap.add_argument("programs", nargs="?", default="configs/programs", help="programs folder")
    ap.add_argument("--n", type=int, default=200, help="random inputs per program")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--only", help="comma-separated program names to run")
    ap.add_argument("--no-order-check", action="store_true", help="skip the desc/native runs")
    ap.add_argument("--show-errors", action="store_true", help="print the commonest errors")
    ap.add_argument("--similar", type=int, default=0, metavar="K",
                    help="also list the K pairs of programs that agree on the most inputs")
    args = ap.parse_args()

    dsl, primitives, consts = load_arc_dsl(args.arc_dsl)
    native = dict(primitives)
    install_order_wrappers(dsl, primitives)

    programs, form_errors = load_programs(args.programs, primitives, consts)
    for e in form_errors:
        print("FORM:", e)
    if args.only:
        keep = set(args.only.split(","))
        programs = [p for p in programs if p[0] in keep]

    rng = random.Random(args.seed)
    inputs = [random_input(rng) for _ in range(args.n)]

    # One namespace per file; names are looked up at call time, so switching Order.mode switches
    # every wrapped primitive, whether called directly or passed as a function.
    namespaces = {}
    functions = {}
    for name, _comment, fn, source in programs:
        if fn not in namespaces:
            ns = dict(primitives)
            ns.update(consts)
            exec(compile(source, os.path.join(args.programs, fn), "exec"), ns)
            namespaces[fn] = ns
        functions[name] = namespaces[fn][name]

    def set_native(on):
        table = native if on else primitives
        for n in ("first", "last", "extract", "totuple", "order", "argmax", "argmin", "mostcommon",
                  "leastcommon", "mostcolor", "leastcolor", "color", "colorfilter", "paint",
                  "underpaint"):
            if n in table:
                setattr(dsl, n, table[n])
                for ns in namespaces.values():
                    ns[n] = table[n]

    results = {}
    rows = []
    failed = bool(form_errors)
    for name, comment, fn, _src in programs:
        f = functions[name]
        outs = []
        Order.mode = "asc"
        for g in inputs:
            outs.append(run_one(f, g))
        tie = py = 0
        if not args.no_order_check:
            Order.mode = "desc"
            for g, o in zip(inputs, outs):
                if run_one(f, g) != o:
                    tie += 1
            Order.mode = "native"
            set_native(True)
            for g, o in zip(inputs, outs):
                if run_one(f, g) != o:
                    py += 1
            set_native(False)
            Order.mode = "asc"
        results[name] = outs
        n = len(inputs)
        ok = [(g, o[1]) for g, o in zip(inputs, outs) if o[0] == "ok"]
        err = n - len(ok)
        same = sum(1 for g, o in ok if o == g)
        big = sum(1 for _, o in ok if len(o) == 0 or len(o[0]) == 0 or len(o) > MAX_SIDE
                  or len(o[0]) > MAX_SIDE)
        changed = len(ok) - same
        distinct = len({o for _, o in ok})
        status = []
        if len(ok) < MIN_OK * n:
            status.append("ERRORS")
        if changed < MIN_CHANGED * n:
            status.append("UNCHANGED")
        if status:
            failed = True
        rows.append((fn, name, 100 * err / n, 100 * same / n, 100 * big / n, distinct,
                     100 * tie / n, 100 * py / n, " ".join(status)))
        if args.show_errors and err:
            msgs = Counter(o[1] for o in outs if o[0] == "err")
            for m, c in msgs.most_common(3):
                print(f"  {name}: {c} x {m}")

    w = max([len(r[1]) for r in rows] + [7])
    print(f"{'file':<14} {'program':<{w}} {'err%':>5} {'same%':>6} {'big%':>5} {'distinct':>8} "
          f"{'tie%':>5} {'py%':>5}  status")
    for fn, name, err, same, big, distinct, tie, py, status in rows:
        print(f"{fn:<14} {name:<{w}} {err:5.1f} {same:6.1f} {big:5.1f} {distinct:8d} {tie:5.1f} "
              f"{py:5.1f}  {status or 'ok'}")

    # Duplicates: identical results (outputs and errors alike) on every input.
    by_outputs = defaultdict(list)
    for name, outs in results.items():
        by_outputs[tuple(o if o[0] == "ok" else ("err",) for o in outs)].append(name)
    dups = [names for names in by_outputs.values() if len(names) > 1]
    for names in dups:
        print("DUPLICATE:", ", ".join(names))
    if dups:
        failed = True
    names = list(results)
    near = []
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            both = [(x, y) for x, y in zip(results[a], results[b]) if x[0] == "ok" and y[0] == "ok"]
            if not both:
                continue
            agree = sum(1 for x, y in both if x == y)
            if agree >= 0.9 * len(both) and agree < len(inputs):
                near.append((agree / len(both), a, b))
    for share, a, b in sorted(near, reverse=True):
        print(f"near duplicate ({100 * share:.0f}% of common inputs): {a}, {b}")
    if args.similar:
        pairs = []
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                agree = sum(1 for x, y in zip(results[a], results[b]) if x[0] == "ok" and x == y)
                pairs.append((agree, a, b))
        print(f"\n{args.similar} most similar pairs (inputs with identical outputs):")
        for agree, a, b in sorted(pairs, reverse=True)[:args.similar]:
            print(f"  {100 * agree / len(inputs):5.1f}%  {a}, {b}")

    print(f"\n{len(programs)} programs, {len(inputs)} inputs (seed {args.seed}); "
          f"{len(form_errors)} form errors, {len(dups)} duplicate groups, "
          f"{sum(1 for r in rows if r[8])} programs below thresholds "
          f"(ok >= {MIN_OK:.0%}, changed >= {MIN_CHANGED:.0%})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

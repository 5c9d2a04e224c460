"""CPython tokpidjin as the bench drivers run it: its dsl.py and constants.py loaded from a checkout,
as tokpidjin runs them (every public function wrapped by safe_dsl) or with every set and frozenset
iterating in megabatch's canonical ascending order; solvers loaded from its solver files; a canonical
repr that both sides print alike. Used by fuzz_tokpidjin.py (primitives), differential.py and
cross_product.py (solvers).

Canonical mode rewrites dsl.py before running it: set displays and comprehensions become set(...)
calls, and the names set and frozenset are bound to subclasses that iterate sorted by
canonical_key, so that `next(iter(patch))`, `for cand in cands`, `sorted(set(x), key=...)` and
friends see the order megabatch uses.
"""
import ast
import math
import os
import sys
import types


# ------------------------------------------------------------------ megabatch's canonical order

def canonical_key(x):
    """megabatch's order (engine/value.hpp compare): None < numbers < tuples < frozensets < functions;
    numbers by value with every nan above all of them, tuples lexicographically, sets by their sorted
    members."""
    if x is None:
        return (0,)
    if isinstance(x, (bool, int, float)):
        if isinstance(x, float) and math.isnan(x):
            return (1, 1, 0)
        return (1, 0, x)
    if isinstance(x, tuple):
        return (2, tuple(canonical_key(e) for e in x))
    if isinstance(x, (frozenset, set)):
        members = frozenset.__iter__(x) if isinstance(x, frozenset) else set.__iter__(x)
        return (3, tuple(sorted(canonical_key(e) for e in members)))
    return (4, id(x))


class CanonicalFrozenset(frozenset):
    """A frozenset that iterates in canonical ascending order; set algebra keeps the type."""
    __slots__ = ()

    def __iter__(self):
        return iter(sorted(frozenset.__iter__(self), key=canonical_key))

    @staticmethod
    def _wrap(result):
        return result if result is NotImplemented else CanonicalFrozenset(result)

    def __or__(self, o): return CanonicalFrozenset._wrap(frozenset.__or__(self, o))
    def __ror__(self, o): return CanonicalFrozenset._wrap(frozenset.__ror__(self, o))
    def __and__(self, o): return CanonicalFrozenset._wrap(frozenset.__and__(self, o))
    def __rand__(self, o): return CanonicalFrozenset._wrap(frozenset.__rand__(self, o))
    def __sub__(self, o): return CanonicalFrozenset._wrap(frozenset.__sub__(self, o))
    def __rsub__(self, o): return CanonicalFrozenset._wrap(frozenset.__rsub__(self, o))
    def __xor__(self, o): return CanonicalFrozenset._wrap(frozenset.__xor__(self, o))
    def union(self, *o): return CanonicalFrozenset(frozenset.union(self, *o))
    def intersection(self, *o): return CanonicalFrozenset(frozenset.intersection(self, *o))
    def difference(self, *o): return CanonicalFrozenset(frozenset.difference(self, *o))
    def copy(self): return self


class CanonicalSet(set):
    """A set that iterates in canonical ascending order; set algebra keeps the type."""

    def __iter__(self):
        return iter(sorted(set.__iter__(self), key=canonical_key))

    @staticmethod
    def _wrap(result):
        return result if result is NotImplemented else CanonicalSet(result)

    def __or__(self, o): return CanonicalSet._wrap(set.__or__(self, o))
    def __ror__(self, o): return CanonicalSet._wrap(set.__ror__(self, o))
    def __and__(self, o): return CanonicalSet._wrap(set.__and__(self, o))
    def __rand__(self, o): return CanonicalSet._wrap(set.__rand__(self, o))
    def __sub__(self, o): return CanonicalSet._wrap(set.__sub__(self, o))
    def __rsub__(self, o): return CanonicalSet._wrap(set.__rsub__(self, o))
    def __xor__(self, o): return CanonicalSet._wrap(set.__xor__(self, o))
    def union(self, *o): return CanonicalSet(set.union(self, *o))
    def intersection(self, *o): return CanonicalSet(set.intersection(self, *o))
    def difference(self, *o): return CanonicalSet(set.difference(self, *o))
    def copy(self): return CanonicalSet(self)


class _SetDisplays(ast.NodeTransformer):
    """{a, b} -> set([a, b]) and {x for ...} -> set(x for ...), so the bound name decides the type."""

    def visit_Set(self, node):
        self.generic_visit(node)
        call = ast.Call(func=ast.Name(id='set', ctx=ast.Load()), args=[ast.List(elts=node.elts, ctx=ast.Load())],
                        keywords=[])
        return ast.copy_location(call, node)

    def visit_SetComp(self, node):
        self.generic_visit(node)
        gen = ast.GeneratorExp(elt=node.elt, generators=node.generators)
        call = ast.Call(func=ast.Name(id='set', ctx=ast.Load()), args=[gen], keywords=[])
        return ast.copy_location(call, node)


# ------------------------------------------------------------------ loading tokpidjin

def load_dsl(tokpidjin, canonical=False):
    """tokpidjin's dsl module (safe_dsl applied by dsl.py itself) with its constants merged in: the
    namespace a solver file sees after `from dsl import *` and `from constants import *`."""
    os.environ.setdefault('EXPECT_GPU', '0')
    if tokpidjin not in sys.path:
        sys.path.insert(0, tokpidjin)
    for name in ('dsl', 'constants', 'safe_dsl', 'arc_types'):
        sys.modules.pop(name, None)
    dsl = types.ModuleType('dsl')
    dsl.__file__ = os.path.join(tokpidjin, 'dsl.py')
    with open(dsl.__file__) as f:
        tree = ast.parse(f.read(), dsl.__file__)
    if canonical:
        tree = ast.fix_missing_locations(_SetDisplays().visit(tree))
        # Module globals shadow builtins: binding the names before dsl.py runs is enough.
        dsl.frozenset, dsl.set = CanonicalFrozenset, CanonicalSet
    sys.modules['dsl'] = dsl  # safe_dsl wraps the functions of sys.modules[__name__]
    stdout = sys.stdout
    sys.stdout = sys.stderr  # dsl.py may print about CuPy
    try:
        exec(compile(tree, dsl.__file__, 'exec'), dsl.__dict__)
    finally:
        sys.stdout = stdout
    import constants  # noqa: E402  (the checkout's own module)
    namespace = dict(dsl.__dict__)
    namespace.update({k: v for k, v in vars(constants).items() if not k.startswith('_')})
    return namespace


def load_solvers(path, namespace):
    """Every `solve*` function of a solver file (tokpidjin's solvers_pre.py or one solver_md5 file),
    run against `namespace` instead of its own imports."""
    with open(path) as f:
        tree = ast.parse(f.read(), path)
    tree.body = [n for n in tree.body if not isinstance(n, (ast.Import, ast.ImportFrom))]
    module = dict(namespace)
    exec(compile(tree, path, 'exec'), module)
    return {n: module[n] for n in [d.name for d in tree.body if isinstance(d, ast.FunctionDef)]}


# ------------------------------------------------------------------ comparing with megabatch

def crepr(x):
    """A repr that CPython and megabatch print alike: members of sets in canonical order, bools as ints
    (megabatch keeps the bool flag only on a bare value: docs/SEMANTICS.md), every function as
    <function>."""
    if x is None:
        return 'None'
    if isinstance(x, bool):
        return str(int(x))
    if isinstance(x, int):
        return str(x)
    if isinstance(x, float):
        return repr(x)
    if isinstance(x, tuple):
        inner = ', '.join(crepr(e) for e in x)
        return '(' + inner + (',)' if len(x) == 1 else ')')
    if isinstance(x, (frozenset, set)):
        members = frozenset.__iter__(x) if isinstance(x, frozenset) else set.__iter__(x)
        items = sorted(members, key=canonical_key)
        if not items:
            return 'frozenset()'
        return 'frozenset({' + ', '.join(crepr(e) for e in items) + '})'
    if callable(x):
        return '<function>'
    return '<' + type(x).__name__ + '>'


def normalize_megabatch_repr(text):
    """megabatch's repr made comparable with crepr: functions as <function>, bools as ints."""
    import re
    text = re.sub(r'<(built-in )?function [^<>]*(<[^<>]*>[^<>]*)*>', '<function>', text)
    return re.sub(r'\bTrue\b', '1', re.sub(r'\bFalse\b', '0', text))

#!/usr/bin/env python3
"""Differential fuzz of tokpidjin's primitives: megabatch against CPython tokpidjin.

Every case calls one primitive of tokpidjin's dsl.py (safe_dsl applied, as tokpidjin runs it) on
random arguments of its annotated types (grids, patches, objects, ranks, colours, closures, ...),
with one argument in ten of another type, so the safe defaults are exercised too. CPython runs with
every set iterating in megabatch's canonical order (tokpidjin_reference.py), so a difference is a
bug, not set order; --plain also counts how many cases plain CPython (hash order) answers
differently. Results are compared as canonical reprs (bools as ints, functions as <function>).
A case either side cannot finish (CPython past --limit seconds, megabatch over its budget) is
counted apart and not compared.

    python3 bench/fuzz_tokpidjin.py --tokpidjin PATH [--cases 20000] [--seed 1] [--only o_g,fill]
                                    [--binary build/megabatch] [--plain] [--failures FILE]

Exit status 1 when any compared case differs.
"""
import argparse
import collections
import inspect
import os
import random
import signal
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tokpidjin_reference import crepr, load_dsl, normalize_megabatch_repr  # noqa: E402


class Arg:
    """A generated argument: the CPython value and the text megabatch's eval reads."""
    __slots__ = ('value', 'text')

    def __init__(self, value, text):
        self.value, self.text = value, text


class Generator:
    UNARY = ['size', 'identity', 'first', 'last', 'color', 'height_f', 'width_f', 'normalize', 'toindices', 'flip',
             'even', 'positive', 'invert', 'double', 'increment', 'size_f', 'mostcolor_t', 'palette_f', 'lowermost',
             'uppermost', 'center', 'ulcorner', 'numcolors_f', 'vline_i', 'hline_i', 'square_f', 'portrait_f',
             'mostcolor_f', 'totuple', 'dedupe', 'initset', 'hmirror_t', 'rot90', 'asobject', 'shape_f', 'decrement']
    BINARY = ['add', 'astuple', 'equality', 'greater', 'subtract', 'combine', 'connect', 'manhattan',
              'intersection', 'multiply', 'difference', 'contained', 'shift', 'recolor_i', 'adjacent']

    def __init__(self, ns, rng):
        self.ns, self.rng = ns, rng
        self.frozenset = ns.get('frozenset', frozenset)

    # ---- leaves
    def int_(self, lo=-3, hi=6):
        v = self.rng.randint(lo, hi)
        return Arg(v, str(v))

    def bool_(self):
        v = self.rng.random() < 0.5
        if self.rng.random() < 0.1:
            v = self.rng.randint(0, 2)
        return Arg(v, repr(v))

    def special(self):
        """nan, inf or -inf, which eval builds through primitives that return them."""
        kind = self.rng.randint(0, 2)
        if kind == 0:
            return Arg(float('nan'), 'get_nth_t((), 0)')
        if kind == 1:
            return Arg(float('inf'), 'manhattan(frozenset(), frozenset())')
        return Arg(float('-inf'), 'index(((0,),), ())')

    def tup(self, members):
        text = ', '.join(m.text for m in members)
        return Arg(tuple(m.value for m in members), '(' + text + (',)' if len(members) == 1 else ')'))

    def fset(self, members):
        seen, kept = set(), []
        for m in members:
            key = (type(m.value).__name__, crepr(m.value))
            if key not in seen:
                seen.add(key)
                kept.append(m)
        if not kept:
            return Arg(self.frozenset(), 'frozenset()')
        return Arg(self.frozenset(m.value for m in kept), 'frozenset({' + ', '.join(m.text for m in kept) + '})')

    # ---- ARC shapes
    def grid(self, h=None, w=None, colours=4):
        h = h or self.rng.randint(1, 5)
        w = w or self.rng.randint(1, 5)
        rows = [self.tup([self.int_(0, colours) for _ in range(w)]) for _ in range(h)]
        return self.tup(rows)

    def pair(self, lo=-2, hi=5):
        return self.tup([self.int_(lo, hi), self.int_(lo, hi)])

    def triple(self):
        return self.tup([self.int_(0, 5), self.int_(0, 5), self.int_(0, 4)])

    def indices(self, n=None):
        n = self.rng.randint(0, 6) if n is None else n
        return self.fset([self.pair(0, 5) for _ in range(n)])

    def obj(self, n=None):
        n = self.rng.randint(0, 6) if n is None else n
        return self.fset([self.triple() for _ in range(n)])

    def objects(self):
        return self.fset([self.obj(self.rng.randint(1, 5)) for _ in range(self.rng.randint(0, 4))])

    def callable1(self):
        r = self.rng.random()
        if r < 0.75:
            name = self.rng.choice(self.UNARY)
            return Arg(self.ns[name], name)
        forms = [('rbind(add, 1)', lambda: self.ns['rbind'](self.ns['add'], 1)),
                 ('compose(size, toindices)', lambda: self.ns['compose'](self.ns['size'], self.ns['toindices'])),
                 ('matcher(size, 2)', lambda: self.ns['matcher'](self.ns['size'], 2)),
                 ('lbind(contained, 1)', lambda: self.ns['lbind'](self.ns['contained'], 1)),
                 ('fork(add, size, size)', lambda: self.ns['fork'](self.ns['add'], self.ns['size'], self.ns['size'])),
                 ('rbind(get_nth_f, 0)', lambda: self.ns['rbind'](self.ns['get_nth_f'], 0)),
                 ('chain(size, toindices, normalize)',
                  lambda: self.ns['chain'](self.ns['size'], self.ns['toindices'], self.ns['normalize']))]
        text, make = self.rng.choice(forms)
        return Arg(make(), text)

    def callable2(self):
        name = self.rng.choice(self.BINARY)
        return Arg(self.ns[name], name)

    def container(self):
        return self.rng.choice([
            lambda: self.tup([self.int_(0, 4) for _ in range(self.rng.randint(0, 5))]),
            lambda: self.fset([self.int_(0, 4) for _ in range(self.rng.randint(0, 5))]),
            lambda: self.indices(), lambda: self.obj(), lambda: self.grid(),
            lambda: self.tup([self.pair() for _ in range(self.rng.randint(0, 4))]),
            lambda: self.objects(),
        ])()

    def samples(self):
        pairs = []
        for _ in range(self.rng.randint(1, 3)):
            a = self.grid(colours=3)
            b = a if self.rng.random() < 0.3 else self.grid(colours=3)
            pairs.append(self.tup([a, b]))
        return self.tup(pairs)

    def anything(self):
        return self.rng.choice([self.int_, self.bool_, self.pair, self.triple, self.indices, self.obj, self.grid,
                                self.container, self.objects, self.callable1, lambda: Arg(None, 'None'),
                                self.special])()

    # ---- by annotation
    def for_hint(self, name, hint):
        if self.rng.random() < 0.1:
            return self.anything()
        rank_like = name in ('rank', 'type', 'n', 'num', 'factor', 'i', 'j', 'c', 'value', 'color', 'fallback')
        if hint in ('Callable', 'F_') and not rank_like:
            return self.callable2() if name == 'function' and self.two_argument else self.callable1()
        if hint is None and name == 'function':
            return self.callable2()
        table = {
            'Grid': self.grid, 'Integer': self.int_, 'I_': self.int_, 'J_': self.int_,
            'C_': lambda: self.int_(-1, 10) if self.rng.random() < 0.1 else self.int_(0, 4),
            'R_': lambda: self.int_(0, 9), 'L_': lambda: self.int_(-10, -1), 'FL': lambda: self.int_(-4, 5),
            'F_': lambda: self.int_(-2, 5), 'R8': lambda: self.int_(-1, 8), 'R4': lambda: self.int_(-1, 4),
            'A8': lambda: self.int_(-1, 8), 'A4': lambda: self.int_(-1, 4), 'A_': lambda: self.int_(0, 8),
            'Boolean': self.bool_, 'IJ': lambda: self.pair() if self.rng.random() < 0.9 else Arg((), '()'),
            'Numerical': lambda: self.int_() if self.rng.random() < 0.5 else self.pair(),
            'Indices': self.indices, 'Object': self.obj, 'Objects': self.objects,
            'Patch': lambda: self.indices() if self.rng.random() < 0.5 else self.obj(),
            'IndicesSet': lambda: self.fset([self.indices(self.rng.randint(1, 4)) for _ in range(self.rng.randint(0, 3))]),
            'Cell': self.triple, 'Samples': self.samples,
            'Tuple': lambda: self.rng.choice([lambda: self.tup([self.int_(0, 4) for _ in range(self.rng.randint(0, 5))]),
                                              lambda: self.tup([self.pair() for _ in range(self.rng.randint(0, 4))]),
                                              self.grid])(),
            'TupleTuple': lambda: self.tup([self.pair() for _ in range(self.rng.randint(0, 4))]),
            'TTT_iii': lambda: self.tup([self.tup([self.triple() for _ in range(self.rng.randint(1, 4))])
                                         for _ in range(self.rng.randint(0, 3))]),
            'Container': self.container,
            'ContainerContainer': lambda: self.rng.choice([
                lambda: self.fset([self.indices(self.rng.randint(0, 3)) for _ in range(self.rng.randint(0, 3))]),
                lambda: self.tup([self.tup([self.int_(0, 3) for _ in range(self.rng.randint(0, 3))])
                                  for _ in range(self.rng.randint(0, 3))]),
                self.objects, self.grid])(),
            'FrozenSet': lambda: self.rng.choice([lambda: self.fset([self.int_(0, 4) for _ in range(self.rng.randint(0, 5))]),
                                                  self.indices, self.obj])(),
            'IntegerSet': lambda: self.fset([self.int_(-2, 6) for _ in range(self.rng.randint(0, 5))]),
        }
        make = table.get(hint)
        return make() if make else self.anything()

    def arguments(self, fn_name, fn):
        params = list(inspect.signature(getattr(fn, '__wrapped__', fn)).parameters.values())
        self.two_argument = fn_name in ('papply', 'mpapply', 'prapply')
        args = []
        for k, p in enumerate(params):
            if p.default is not inspect.Parameter.empty and self.rng.random() < 0.5:
                break  # leave the defaulted parameter out
            hint = p.annotation if isinstance(p.annotation, str) else None
            args.append(self.for_hint(p.name, hint))
        return args


class _Timeout(BaseException):
    """Not an Exception: safe_dsl catches those and would turn a timeout into a default."""


def _alarm(signum, frame):
    raise _Timeout()


def run_cpython(fn, args, limit):
    try:
        signal.setitimer(signal.ITIMER_REAL, limit)
        try:
            return 'ok', crepr(fn(*args))
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _Timeout:
        return 'timeout', None
    except RecursionError:
        return 'timeout', None
    except BaseException as e:  # noqa: BLE001 (a primitive call that escapes safe_dsl)
        return 'error', type(e).__name__


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--tokpidjin', required=True, help='a checkout of pierreb4/tokpidjin')
    ap.add_argument('--binary', default=os.path.join(os.path.dirname(__file__), '..', 'build', 'megabatch'))
    ap.add_argument('--cases', type=int, default=20000)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--only', default='', help='comma-separated primitive names')
    ap.add_argument('--limit', type=float, default=1.0, help='CPython seconds per case')
    ap.add_argument('--plain', action='store_true', help='also count differences from hash-order CPython')
    ap.add_argument('--failures', help='write every differing case to this file')
    ap.add_argument('--show', type=int, default=20, help='differing cases to print')
    a = ap.parse_args()

    signal.signal(signal.SIGALRM, _alarm)
    ns = load_dsl(a.tokpidjin, canonical=True)
    plain = load_dsl(a.tokpidjin, canonical=False) if a.plain else None
    ns = load_dsl(a.tokpidjin, canonical=True) if a.plain else ns  # the last load owns sys.modules['dsl']
    names = sorted(n for n, f in ns.items() if not n.startswith('_') and inspect.isfunction(f) and hasattr(f, '__wrapped__'))
    if a.only:
        names = [n for n in a.only.split(',') if n in ns]
    rng = random.Random(a.seed)
    gen = Generator(ns, rng)

    cases = []
    for k in range(a.cases):
        name = names[k % len(names)] if k < len(names) * 2 else rng.choice(names)
        args = gen.arguments(name, ns[name])
        cases.append((name, args, name + '(' + ', '.join(x.text for x in args) + ')'))

    expected = [run_cpython(ns[name], [x.value for x in args], a.limit) for name, args, _ in cases]
    import safe_dsl  # noqa: E402  (loaded by dsl.py)
    default_of = {n: crepr(safe_dsl._get_safe_default(ns[n].__wrapped__)) for n in names}

    with tempfile.NamedTemporaryFile('w', suffix='.txt', delete=False) as f:
        for _, _, text in cases:
            f.write(text + '\n')
        batch = f.name
    try:
        out = subprocess.run([a.binary, 'eval', '--dialect', 'tokpidjin', '--batch', batch],
                             capture_output=True, text=True, check=True).stdout.splitlines()
    finally:
        os.unlink(batch)
    if len(out) != len(cases):
        sys.exit(f'megabatch answered {len(out)} lines for {len(cases)} cases')

    compared = same = skipped = order = defaults = 0
    by_name = collections.Counter()
    failures = []
    for (name, args, text), (kind, want), line in zip(cases, expected, out):
        status, _, got = line.partition(' ')
        if kind == 'timeout' or status == 'budget':
            skipped += 1
            continue
        compared += 1
        got = normalize_megabatch_repr(got) if status == 'ok' else 'error ' + got
        want = want if kind == 'ok' else 'error ' + str(want)
        if got == want:
            same += 1
            defaults += want == default_of[name]
            if plain is not None:
                pk, pw = run_cpython(plain[name], [x.value for x in args], a.limit)
                order += pk == 'ok' and pw != want
        else:
            by_name[name] += 1
            failures.append(f'{text}\n  cpython:   {want}\n  megabatch: {got}')
    print(f'{compared} cases compared ({skipped} skipped: CPython past {a.limit}s or megabatch over budget), '
          f'{same} agree ({100.0 * same / max(compared, 1):.2f}%; {defaults} of them the safe default), '
          f'{len(names)} primitives')
    if plain is not None:
        print(f'{order} of the agreeing cases differ in plain (hash-order) CPython: the set-order divergence')
    if by_name:
        print('differing cases by primitive:', ', '.join(f'{n} {c}' for n, c in by_name.most_common()))
        for f in failures[:a.show]:
            print(f)
    if a.failures:
        with open(a.failures, 'w') as f:
            f.write('\n'.join(failures) + '\n')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())

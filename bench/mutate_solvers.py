#!/usr/bin/env python3
"""Mutants of solvers, made the way tokpidjin's card.py makes candidates, for differential runs.

Reads a solver file in tokpidjin's form (`def solve_<id>(S, I, C):` then `xN = f(a, ...)` lines) or arc-dsl's
(`def solve_<id>(I):`) and writes mutants of its functions: each child changes a few arguments of its
parent, as card.py's operators do:
- a variable becomes an earlier one (or I, S), preferring one whose producing primitive has the same
  return annotation;
- a primitive passed as an argument, or called, becomes another of the same arity (half of the time one
  with the same annotations);
- a constant becomes another of its group (ranks F0..F9 / L1..L10 stepped by one, R*, A*, colours, ...).
Type-incompatible replacements are kept on purpose: they exercise safe_dsl's defaults, NaN, None and the
paths a real search reaches. The annotations and constants are read from the checkout's dsl.py and
constants.py, so a newer checkout gives mutants over its own names.

    python3 bench/mutate_solvers.py --tokpidjin PATH | --arc-dsl PATH [--solvers FILE] [--tasks DIR]
                                    [--per-solver 3] [--seed 1] [--out mutants.py]

With --tasks only the solvers of tasks in DIR are mutated (so a differential run over DIR pairs each
mutant with its parent's task as well as every other task). The default solvers are tokpidjin's
solvers_pre.py or arc-dsl's solvers.py. The output is a solver file megabatch and
bench/differential.py --programs read alike; mutant k of solve_<id> is solve_<id>_m<k>.
"""
import argparse
import ast
import os
import random
import re


def read_signatures(dsl_path):
    """Public functions of dsl.py: name -> (positional arity, required arity, argument hints, return hint)."""
    tree = ast.parse(open(dsl_path).read())
    out = {}
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef) or node.name.startswith('_'):
            continue
        args = node.args.args
        hint = lambda a: a.value if isinstance(a, ast.Constant) else (ast.unparse(a) if a is not None else None)
        out[node.name] = (len(args), len(args) - len(node.args.defaults), tuple(hint(a.annotation) for a in args),
                          hint(node.returns))
    return out


def read_constant_groups(constants_path):
    """Groups of interchangeable constant names: tokpidjin's `*_NAMES = {...}` dicts (and COLORS, CONSTANTS,
    PAIR_GENERIC_CONSTANTS) where constants.py has them, else the names grouped by the kind of their value
    (booleans, integers, pairs), as arc-dsl's constants.py defines them."""
    tree = ast.parse(open(constants_path).read())
    groups, by_kind = [], {}
    for node in tree.body:
        if not isinstance(node, ast.Assign) or len(node.targets) != 1:
            continue
        name = getattr(node.targets[0], 'id', '')
        if isinstance(node.value, ast.Dict):
            keys = [k.value for k in node.value.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)]
            if keys and (name.endswith('NAMES') or name in ('COLORS', 'CONSTANTS', 'PAIR_GENERIC_CONSTANTS')):
                groups.append(keys)
            continue
        try:
            value = ast.literal_eval(node.value)
        except ValueError:
            continue
        if name.isupper() or name in ('T', 'F'):
            by_kind.setdefault(type(value).__name__ + (str(len(value)) if isinstance(value, tuple) else ''),
                               []).append(name)
    return groups or [g for g in by_kind.values() if len(g) > 1]


LINE = re.compile(r'^    (\w+) = (\w+)\((.*)\)$')


def split_args(text):
    return [a.strip() for a in text.split(',')] if text.strip() else []


class Mutator:
    def __init__(self, signatures, groups, rng):
        self.sig, self.groups, self.rng = signatures, groups, rng
        self.by_arity = {}
        for name, (arity, _, _, _) in signatures.items():
            self.by_arity.setdefault(arity, []).append(name)

    def other_function(self, name):
        arity = self.sig[name][0]
        same = [f for f in self.by_arity.get(arity, []) if f != name]
        if not same:
            return name
        if self.rng.random() < 0.5:
            typed = [f for f in same if self.sig[f][2:] == self.sig[name][2:]]
            if typed:
                return self.rng.choice(typed)
        return self.rng.choice(same)

    def other_constant(self, name):
        groups = [g for g in self.groups if name in g]
        if not groups:
            return name
        group = self.rng.choice(groups)
        if re.fullmatch(r'[FL]\d+', name) and self.rng.random() < 0.7:
            i = group.index(name)  # card.py steps a rank by one
            return group[max(0, min(len(group) - 1, i + self.rng.choice([-1, 1])))]
        return self.rng.choice(group)

    def other_variable(self, name, earlier, returns):
        if not earlier:
            return name
        want = returns.get(name)
        typed = [v for v in earlier if v != name and returns.get(v) == want]
        if typed and self.rng.random() < 0.7:
            return self.rng.choice(typed)
        return self.rng.choice(earlier)

    def mutate_body(self, lines, changes, tokpidjin=True):
        """lines: [(var, callee, args)]; changes `changes` argument positions (0 = the callee) chosen at random.
        Returns the mutated lines and how many positions really changed."""
        positions = [(n, k) for n, (_, callee, args) in enumerate(lines) for k in range(len(args) + 1)
                     if k or callee in self.sig]
        picked = set(self.rng.sample(positions, min(changes, len(positions))))
        returns = {'I': 'Grid', 'S': 'Samples', 'C': 'Grid'}
        params = ['I', 'S'] if tokpidjin else ['I']
        out, changed = [], 0
        for n, (var, callee, args) in enumerate(lines):
            earlier = params + [v for v, _, _ in lines[:n]]
            new_callee = self.other_function(callee) if (n, 0) in picked else callee
            new_args = []
            for k, a in enumerate(args, 1):
                b = a
                if (n, k) in picked:
                    if a in self.sig:
                        b = self.other_function(a)
                    elif re.fullmatch(r'x\d+|I|S', a):
                        b = self.other_variable(a, earlier, returns)
                    elif re.fullmatch(r'[A-Z][A-Z0-9_]*', a):
                        b = self.other_constant(a)
                new_args.append(b)
            changed += (new_callee != callee) + sum(x != y for x, y in zip(args, new_args))
            returns[var] = self.sig[new_callee][3] if new_callee in self.sig else None
            out.append((var, new_callee, new_args))
        return out, changed


def parse_solvers(path):
    solvers, name, lines = {}, None, []
    for raw in open(path).read().split('\n'):
        m = re.match(r'^def (solve_\w+)\((?:S, I, C|I)\):$', raw)
        if m:
            name, lines = m.group(1), []
            solvers[name] = lines
            continue
        m = LINE.match(raw)
        if name and m:
            lines.append((m.group(1), m.group(2), split_args(m.group(3))))
    return {k: v for k, v in solvers.items() if v}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    source = ap.add_mutually_exclusive_group(required=True)
    source.add_argument('--tokpidjin', help='a checkout of pierreb4/tokpidjin')
    source.add_argument('--arc-dsl', help='a checkout of michaelhodel/arc-dsl')
    ap.add_argument('--solvers', help="solver file (default: the checkout's solvers_pre.py or solvers.py)")
    ap.add_argument('--tasks', help='only mutate the solvers of tasks in this folder')
    ap.add_argument('--per-solver', type=int, default=3)
    ap.add_argument('--changes', type=int, default=2, help='most argument positions a child changes (1 to this)')
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--out', default='mutants.py')
    a = ap.parse_args()

    rng = random.Random(a.seed)
    checkout = a.tokpidjin or a.arc_dsl
    mutator = Mutator(read_signatures(os.path.join(checkout, 'dsl.py')),
                      read_constant_groups(os.path.join(checkout, 'constants.py')), rng)
    solvers = parse_solvers(a.solvers or os.path.join(checkout, 'solvers_pre.py' if a.tokpidjin else 'solvers.py'))
    if a.tasks:
        ids = {f[:-5] for f in os.listdir(a.tasks) if f.endswith('.json')}
        solvers = {k: v for k, v in solvers.items() if k[len('solve_'):] in ids}
    written = 0
    with open(a.out, 'w') as f:
        f.write('from dsl import *\nfrom constants import *\n\n')
        for name in sorted(solvers):
            for k in range(a.per_solver):
                for _ in range(100):  # at least one change per child
                    body, changed = mutator.mutate_body(solvers[name], rng.randint(1, a.changes), bool(a.tokpidjin))
                    if changed:
                        break
                f.write(f'\ndef {name}_m{k}({"S, I, C" if a.tokpidjin else "I"}):\n')
                for var, callee, args in body:
                    f.write(f'    {var} = {callee}({", ".join(args)})\n')
                f.write(f'    return {body[-1][0]}\n')
                written += 1
    print(f'{written} mutants of {len(solvers)} solvers in {a.out}')


if __name__ == '__main__':
    main()

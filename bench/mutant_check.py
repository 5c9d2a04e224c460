#!/usr/bin/env python3
"""Output-level differential check on mutated solvers, megabatch against CPython tokpidjin or arc-dsl.

bench/differential.py compares statuses and predictions of pairs that reproduce a demo, which mutants
rarely do. This check compares what every mutant returns on every input instead:
1. it mutates the solvers of the tasks in --tasks as card.py does (bench/mutate_solvers.py), and also
   pairs some unmutated solvers with other tasks (a solver on inputs it was not written for);
2. it runs each case in CPython with every set iterating in megabatch's canonical order, on every demo
   and test input of its task (tokpidjin's with S the task's demo pairs and C None);
3. it writes one task per case: the original demos (so S is unchanged) and, as test pairs, every input
   with CPython's output as the expected grid (no output where CPython returned something that is not an
   ARC grid: cpython_reference.as_prediction), and the case as `solve_<case id>`;
4. it runs `megabatch run --own` on those tasks and compares every sample: where CPython returned a grid
   megabatch must match it; where CPython returned another value megabatch must predict nothing; where
   CPython raised, megabatch must report an error. Samples CPython did not finish within --limit are
   not compared.

    python3 bench/mutant_check.py --tokpidjin PATH | --arc-dsl PATH --tasks DIR [--per-solver 10] [--cross 200]
                                  [--seed 1] [--binary build/megabatch] [--keep DIR]

Exit status 1 when any compared sample differs.
"""
import argparse
import json
import os
import random
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cpython_reference import (as_prediction, install_time_limit, load_arc_dsl, load_tasks,  # noqa: E402
                               megabatch_results, run_one)
from mutate_solvers import Mutator, parse_solvers, read_constant_groups, read_signatures  # noqa: E402
from tokpidjin_reference import load_dsl  # noqa: E402


def source_of(name, body, params):
    lines = [f'def {name}({params}):'] + [f'    {v} = {f}({", ".join(a)})' for v, f, a in body]
    return '\n'.join(lines + [f'    return {body[-1][0]}', ''])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    source = ap.add_mutually_exclusive_group(required=True)
    source.add_argument('--tokpidjin', help='a checkout of pierreb4/tokpidjin')
    source.add_argument('--arc-dsl', help='a checkout of michaelhodel/arc-dsl')
    ap.add_argument('--tasks', required=True, help='folder of ARC task files whose solvers are mutated')
    ap.add_argument('--solvers', help="solver file (default: the checkout's solvers_pre.py or solvers.py)")
    ap.add_argument('--per-solver', type=int, default=10)
    ap.add_argument('--changes', type=int, default=2)
    ap.add_argument('--cross', type=int, default=200, help='unmutated solvers run on another task')
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--limit', type=float, default=2.0, help='CPython CPU seconds per call')
    ap.add_argument('--binary', default=os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'build',
                                                     'megabatch'))
    ap.add_argument('--keep', help='write the cases and tasks here and keep them')
    ap.add_argument('--show', type=int, default=20)
    a = ap.parse_args()

    rng = random.Random(a.seed)
    tok = bool(a.tokpidjin)
    checkout = a.tokpidjin or a.arc_dsl
    mutator = Mutator(read_signatures(os.path.join(checkout, 'dsl.py')),
                      read_constant_groups(os.path.join(checkout, 'constants.py')), rng)
    solvers = parse_solvers(a.solvers or os.path.join(checkout, 'solvers_pre.py' if tok else 'solvers.py'))
    tasks = load_tasks(a.tasks, tokpidjin=tok)
    raw = {tid: json.load(open(os.path.join(a.tasks, tid + '.json'))) for tid in tasks}
    own = sorted(n for n in solvers if n[len('solve_'):] in tasks)

    cases = []  # (case id, task id, source)
    for name in own:
        for _ in range(a.per_solver):
            body, _ = mutator.mutate_body(solvers[name], rng.randint(1, a.changes), tok)
            cases.append((f'c{len(cases):05d}', name[len('solve_'):], body))
    every = sorted(solvers)
    for _ in range(a.cross):
        cases.append((f'c{len(cases):05d}', rng.choice(sorted(tasks)), solvers[rng.choice(every)]))

    namespace = load_dsl(a.tokpidjin, canonical=True) if tok else load_arc_dsl(a.arc_dsl, canonical=True)
    install_time_limit()
    work = a.keep or tempfile.mkdtemp(prefix='megabatch-mutants-')
    task_dir = os.path.join(work, 'tasks')
    os.makedirs(task_dir, exist_ok=True)
    expected = {}  # case id -> [(kind, grid or None)] per input
    with open(os.path.join(work, 'cases.py'), 'w') as programs:
        programs.write('from dsl import *\nfrom constants import *\n\n')
        for case_id, task_id, body in cases:
            text = source_of(f'solve_{case_id}', body, 'S, I, C' if tok else 'I')
            programs.write('\n' + text)
            module = dict(namespace)
            exec(compile(text, f'<{case_id}>', 'exec'), module)
            fn = module[f'solve_{case_id}']
            task = tasks[task_id]
            inputs = [i for i, _ in task['train']] + task['test']
            results = []
            for grid in inputs:
                kind, value = run_one(fn, task, grid, a.limit)
                results.append((kind, as_prediction(value) if kind == 'ok' else None))
            expected[case_id] = results
            tests = [{'input': [list(r) for r in grid], **({'output': g} if g is not None else {})}
                     for grid, (_, g) in zip(inputs, results)]
            with open(os.path.join(task_dir, case_id + '.json'), 'w') as f:
                json.dump({'train': raw[task_id]['train'], 'test': tests}, f)

    ours = {r['task']: list(zip(r['test'], r['predictions']))
            for r in megabatch_results(a.binary, task_dir, os.path.join(work, 'cases.py'), os.path.join(work, 'out'),
                                       ['--own'])}

    compared = differing = skipped = 0
    outcomes = {'grid': 0, 'other value': 0, 'error': 0}
    for case_id, task_id, _ in cases:
        got = ours.get(case_id)
        for k, (kind, grid) in enumerate(expected[case_id]):
            if kind == 'budget':
                skipped += 1
                continue
            status, prediction = got[k] if got and k < len(got) else ('missing', None)
            if status == 'budget':
                skipped += 1
                continue
            compared += 1
            if kind == 'error':
                outcomes['error'] += 1
                ok = status == 'error'
            elif grid is not None:
                outcomes['grid'] += 1
                ok = status == 'match' and prediction == grid
            else:
                outcomes['other value'] += 1
                ok = status not in ('error', 'match') and prediction is None
            if not ok:
                differing += 1
                if differing <= a.show:
                    print(f'differs: {case_id} (task {task_id}) input {k}: CPython {kind} {str(grid)[:80]}, '
                          f'megabatch {status} {str(prediction)[:80]}')
    print(f'{len(cases)} cases ({len(own)} solvers x {a.per_solver} mutants, {a.cross} on other tasks), '
          f'{compared} samples compared ({outcomes["grid"]} grids, {outcomes["other value"]} other values, '
          f'{outcomes["error"]} errors in CPython), {skipped} past a time limit, {differing} differ')
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if differing else 0)


if __name__ == '__main__':
    main()

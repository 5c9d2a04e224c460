# One bad function per error kind, with good functions in between that must still load.
from dsl import *


def solve_bad_syntax(I):
    x1 = hmirror(I
    return x1


def solve_good_1(I):
    x1 = hmirror(I)
    return x1


def solve_bad_unknown(I):
    x1 = frobnicate(I)
    return x1


def solve_bad_order(I):
    x1 = hmirror(x2)
    x2 = vmirror(I)
    return x1


def solve_bad_twice(I):
    x1 = hmirror(I)
    x1 = vmirror(x1)
    return x1


def solve_bad_arity(I):
    x1 = vconcat(I)
    return x1


def solve_good_1(I):
    return vmirror(I)


def solve_bad_noreturn(I):
    x1 = hmirror(I)


def solve_good_2(I):
    return vconcat(I, hmirror(I))

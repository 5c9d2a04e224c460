# megabatch test programs in arc-dsl's format (hand-written for the program front-end tests).
from dsl import *
from constants import *


def solve_8be77c9e(I):
    x1 = hmirror(I)
    O = vconcat(I, x1)
    return O


def solve_d1a30000(I):
    # diamond: x1 feeds both branches, which meet again in O
    x1 = hmirror(I)
    x2 = vmirror(x1)
    x3 = rot90(x1)
    O = hconcat(x2, x3)
    return O


def solve_5a1e0001(I):
    # shares the prefix hmirror(I) / vmirror(...) with solve_d1a30000
    x1 = hmirror(I)
    x2 = vmirror(x1)
    x3 = dead_end(x2)
    O = vconcat(x2, I)
    return O


def solve_ca11ab1e(S, I, C):
    """Callable values, negative integers and booleans."""
    x1 = rbind(shift, DOWN)
    x2 = x1(I)
    x3 = fork(combine, identity, hmirror)
    x4 = x3(x2)
    x5 = crop(x4, NEG_ONE, -2)
    O = branch(True, x5, vconcat(I, hmirror(I)))
    return O

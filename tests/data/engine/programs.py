# megabatch engine test programs (hand-written): some solve the tasks in tasks/, some solve part of a
# task, some never match, and two are rejected by the parser (lines 44 and 49).
from dsl import *
from constants import *


def solve_flip(I):
    O = vmirror(I)
    return O


def solve_flip_long(I):
    x1 = rot90(I)
    x2 = rot90(x1)
    O = hmirror(x2)
    return O


def solve_identity(I):
    return identity(I)


def solve_recolour(I):
    O = replace(I, ONE, TWO)
    return O


def solve_upside(I):
    O = hmirror(I)
    return O


def solve_rot180(I):
    O = rot180(I)
    return O


def solve_transpose(I):
    O = dmirror(I)
    return O


def solve_bad_syntax(I):
    x1 = vmirror(I
    return x1


def solve_bad_unknown(I):
    x1 = frobnicate(I)
    return x1


def solve_divide_by_zero(I):
    x1 = divide(ONE, ZERO)
    O = upscale(I, x1)
    return O


def solve_wrong(I):
    O = rot90(I)
    return O

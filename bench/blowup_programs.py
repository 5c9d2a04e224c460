# Fifteen runaway candidates for measuring memory (docs/PERFORMANCE.md, "Memory"): compose chains,
# repeated upscale, objects and neighbourhoods of giant grids, products and merges of large sets. Run
# them on every sample so that none stops early:
#   /usr/bin/time -f '%M KB' build/megabatch run --tasks DIR --programs bench/blowup_programs.py \
#       --out /tmp/blowup --exhaustive --set batch.prune=off
from dsl import *
from constants import *


def solve_b01(I):
    x1 = lbind(compose, identity)
    x2 = power(x1, 999)
    x3 = x2(identity)
    O = x3(I)
    return O

def solve_b02(I):
    x1 = upscale(I, 30)
    x2 = upscale(x1, 2)
    O = upscale(x2, 2)
    return O

def solve_b03(I):
    x1 = upscale(I, 20)
    x2 = objects(x1, T, F, F)
    O = paint(I, merge(x2))
    return O

def solve_b04(I):
    x1 = upscale(I, 15)
    x2 = asindices(x1)
    x3 = apply(initset, x2)
    O = merge(x3)
    return O

def solve_b05(I):
    x1 = upscale(I, 25)
    x2 = hconcat(x1, x1)
    x3 = vconcat(x2, x2)
    O = rot90(x3)
    return O

def solve_b06(I):
    x1 = interval(ZERO, 1000000, ONE)
    x2 = apply(invert, x1)
    O = size(x2)
    return O

def solve_b07(I):
    x1 = upscale(I, 12)
    x2 = asobject(x1)
    x3 = apply(lbind(shift, x2), asindices(I))
    O = merge(x3)
    return O

def solve_b08(I):
    x1 = upscale(I, 10)
    x2 = partition(x1)
    x3 = mapply(backdrop, x2)
    O = fill(x1, ONE, x3)
    return O

def solve_b09(I):
    x1 = upscale(I, 30)
    x2 = asindices(x1)
    x3 = product(asindices(I), asindices(I))
    O = size(x3)
    return O

def solve_b10(I):
    x1 = upscale(I, 18)
    x2 = asindices(x1)
    x3 = apply(dneighbors, x2)
    O = merge(x3)
    return O

def solve_b11(I):
    x1 = upscale(I, 14)
    x2 = objects(x1, F, T, F)
    x3 = apply(delta, x2)
    O = merge(x3)
    return O

def solve_b12(I):
    x1 = upscale(I, 22)
    x2 = vsplit(x1, ONE)
    x3 = apply(rot90, x2)
    O = first(x3)
    return O

def solve_b13(I):
    x1 = upscale(I, 9)
    x2 = asindices(x1)
    x3 = apply(neighbors, x2)
    O = merge(x3)
    return O

def solve_b14(I):
    x1 = upscale(I, 16)
    x2 = asobject(x1)
    x3 = totuple(x2)
    O = x3
    return O

def solve_b15(I):
    x1 = upscale(I, 20)
    x2 = cellwise(x1, x1, ZERO)
    x3 = upscale(x2, 3)
    O = x3
    return O

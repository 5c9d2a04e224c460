# Symmetry rules: complete a symmetry by painting mirror images over the background, copy or fold
# halves.

# Complete left-right symmetry: paint the mirror image over the background.
def solve_complete_left_right_symmetry(I):
    x1 = vmirror(I)
    x2 = asobject(x1)
    O = underpaint(I, x2)
    return O


# Complete top-bottom symmetry: paint the upside-down image over the background.
def solve_complete_top_bottom_symmetry(I):
    x1 = hmirror(I)
    x2 = asobject(x1)
    O = underpaint(I, x2)
    return O


# Complete four-fold mirror symmetry (left-right, then top-bottom) over the background.
def solve_complete_fourfold_symmetry(I):
    x1 = vmirror(I)
    x2 = asobject(x1)
    x3 = underpaint(I, x2)
    x4 = hmirror(x3)
    x5 = asobject(x4)
    O = underpaint(x3, x5)
    return O


# Complete symmetry about the main diagonal over the background.
def solve_complete_diagonal_symmetry(I):
    x1 = dmirror(I)
    x2 = asobject(x1)
    O = underpaint(I, x2)
    return O


# Complete half-turn rotational symmetry over the background.
def solve_complete_half_turn_symmetry(I):
    x1 = rot180(I)
    x2 = asobject(x1)
    O = underpaint(I, x2)
    return O


# Complete quarter-turn rotational symmetry: paint all three rotations over the background.
def solve_complete_quarter_turn_symmetry(I):
    x1 = rot90(I)
    x2 = asobject(x1)
    x3 = underpaint(I, x2)
    x4 = rot180(I)
    x5 = asobject(x4)
    x6 = underpaint(x3, x5)
    x7 = rot270(I)
    x8 = asobject(x7)
    O = underpaint(x6, x8)
    return O


# Overwrite the right half with the mirror image of the left half.
def solve_mirror_left_half_onto_right(I):
    x1 = lefthalf(I)
    x2 = vmirror(x1)
    x3 = asobject(x2)
    x4 = width(I)
    x5 = width(x1)
    x6 = subtract(x4, x5)
    x7 = tojvec(x6)
    x8 = shift(x3, x7)
    O = paint(I, x8)
    return O


# Overwrite the left half with the mirror image of the right half.
def solve_mirror_right_half_onto_left(I):
    x1 = righthalf(I)
    x2 = vmirror(x1)
    x3 = asobject(x2)
    O = paint(I, x3)
    return O


# Overwrite the bottom half with the mirror image of the top half.
def solve_mirror_top_half_onto_bottom(I):
    x1 = tophalf(I)
    x2 = hmirror(x1)
    x3 = asobject(x2)
    x4 = height(I)
    x5 = height(x1)
    x6 = subtract(x4, x5)
    x7 = toivec(x6)
    x8 = shift(x3, x7)
    O = paint(I, x8)
    return O


# Fold the right half over the left half: overlay both halves, foreground wins.
def solve_fold_right_onto_left(I):
    x1 = lefthalf(I)
    x2 = righthalf(I)
    x3 = vmirror(x2)
    x4 = asobject(x3)
    O = underpaint(x1, x4)
    return O


# Fold the bottom half over the top half: overlay both halves, foreground wins.
def solve_fold_bottom_onto_top(I):
    x1 = tophalf(I)
    x2 = bottomhalf(I)
    x3 = hmirror(x2)
    x4 = asobject(x3)
    O = underpaint(x1, x4)
    return O


# Overlay the left and right halves without mirroring, foreground of the left half wins.
def solve_overlay_left_and_right_halves(I):
    x1 = lefthalf(I)
    x2 = righthalf(I)
    x3 = asobject(x2)
    O = underpaint(x1, x3)
    return O

# Movement rules: shifts by one, objects pushed to a wall, blocks moved, gravitation, copies.
# Objects pushed to a wall can land on each other: they are painted in order of size (ties by
# position), so the larger object ends up on top whatever the set iteration order.

# Shift all foreground cells down by one row.
def solve_shift_foreground_down(I):
    x1 = fgpartition(I)
    x2 = merge(x1)
    O = move(I, x2, DOWN)
    return O


# Shift all foreground cells up by one row.
def solve_shift_foreground_up(I):
    x1 = fgpartition(I)
    x2 = merge(x1)
    O = move(I, x2, UP)
    return O


# Shift all foreground cells left by one column.
def solve_shift_foreground_left(I):
    x1 = fgpartition(I)
    x2 = merge(x1)
    O = move(I, x2, LEFT)
    return O


# Shift all foreground cells right by one column.
def solve_shift_foreground_right(I):
    x1 = fgpartition(I)
    x2 = merge(x1)
    O = move(I, x2, RIGHT)
    return O


# Shift all foreground cells one step down and to the right.
def solve_shift_foreground_diagonally(I):
    x1 = fgpartition(I)
    x2 = merge(x1)
    O = move(I, x2, UNITY)
    return O


# Drop every object straight down onto the bottom edge; where objects overlap the larger one is on top.
def solve_drop_objects_to_floor(I):
    x1 = objects(I, T, F, T)
    x2 = fork(astuple, size, ulcorner)
    x3 = order(x1, x2)
    x4 = height(I)
    x5 = decrement(x4)
    x6 = lbind(subtract, x5)
    x7 = compose(x6, lowermost)
    x8 = compose(toivec, x7)
    x9 = fork(shift, identity, x8)
    x10 = apply(x9, x3)
    x11 = merge(x10)
    x12 = merge(x1)
    x13 = cover(I, x12)
    O = paint(x13, x11)
    return O


# Lift every object straight up to the top edge; where objects overlap the larger one is on top.
def solve_lift_objects_to_ceiling(I):
    x1 = objects(I, T, F, T)
    x2 = fork(astuple, size, ulcorner)
    x3 = order(x1, x2)
    x4 = compose(invert, uppermost)
    x5 = compose(toivec, x4)
    x6 = fork(shift, identity, x5)
    x7 = apply(x6, x3)
    x8 = merge(x7)
    x9 = merge(x1)
    x10 = cover(I, x9)
    O = paint(x10, x8)
    return O


# Push every object left onto the left edge; where objects overlap the larger one is on top.
def solve_push_objects_to_left_wall(I):
    x1 = objects(I, T, F, T)
    x2 = fork(astuple, size, ulcorner)
    x3 = order(x1, x2)
    x4 = compose(invert, leftmost)
    x5 = compose(tojvec, x4)
    x6 = fork(shift, identity, x5)
    x7 = apply(x6, x3)
    x8 = merge(x7)
    x9 = merge(x1)
    x10 = cover(I, x9)
    O = paint(x10, x8)
    return O


# Push every object right onto the right edge; where objects overlap the larger one is on top.
def solve_push_objects_to_right_wall(I):
    x1 = objects(I, T, F, T)
    x2 = fork(astuple, size, ulcorner)
    x3 = order(x1, x2)
    x4 = width(I)
    x5 = decrement(x4)
    x6 = lbind(subtract, x5)
    x7 = compose(x6, rightmost)
    x8 = compose(tojvec, x7)
    x9 = fork(shift, identity, x8)
    x10 = apply(x9, x3)
    x11 = merge(x10)
    x12 = merge(x1)
    x13 = cover(I, x12)
    O = paint(x13, x11)
    return O


# Slide the whole foreground as one rigid block into the bottom-right corner.
def solve_slide_foreground_to_bottom_right(I):
    x1 = fgpartition(I)
    x2 = merge(x1)
    x3 = shape(I)
    x4 = decrement(x3)
    x5 = lrcorner(x2)
    x6 = subtract(x4, x5)
    O = move(I, x2, x6)
    return O


# Slide the whole foreground as one rigid block into the top-left corner.
def solve_slide_foreground_to_corner(I):
    x1 = fgpartition(I)
    x2 = merge(x1)
    x3 = ulcorner(x2)
    x4 = invert(x3)
    O = move(I, x2, x4)
    return O


# Move the whole foreground as one block so that its bounding box is centred in the grid.
def solve_centre_foreground(I):
    x1 = fgpartition(I)
    x2 = merge(x1)
    x3 = shape(I)
    x4 = decrement(x3)
    x5 = halve(x4)
    x6 = center(x2)
    x7 = subtract(x5, x6)
    O = move(I, x2, x7)
    return O


# Move the smallest object so that it sits on top of the largest one, left edges aligned.
def solve_stack_smallest_on_largest(I):
    x1 = objects(I, T, F, T)
    x2 = fork(astuple, size, ulcorner)
    x3 = argmin(x1, x2)
    x4 = argmax(x1, x2)
    x5 = ulcorner(x4)
    x6 = add(x5, UP)
    x7 = llcorner(x3)
    x8 = subtract(x6, x7)
    O = move(I, x3, x8)
    return O


# Copy every object directly below itself; where copies overlap the larger object's copy is on top.
def solve_copy_objects_below(I):
    x1 = objects(I, T, F, T)
    x2 = fork(astuple, size, ulcorner)
    x3 = order(x1, x2)
    x4 = compose(toivec, height)
    x5 = fork(shift, identity, x4)
    x6 = apply(x5, x3)
    x7 = merge(x6)
    O = paint(I, x7)
    return O


# Copy every object directly to its right; where copies overlap the larger object's copy is on top.
def solve_copy_objects_right(I):
    x1 = objects(I, T, F, T)
    x2 = fork(astuple, size, ulcorner)
    x3 = order(x1, x2)
    x4 = compose(tojvec, width)
    x5 = fork(shift, identity, x4)
    x6 = apply(x5, x3)
    x7 = merge(x6)
    O = paint(I, x7)
    return O


# Move the largest object so that its bounding box starts in the top-left corner.
def solve_move_largest_to_corner(I):
    x1 = objects(I, T, F, T)
    x2 = fork(astuple, size, ulcorner)
    x3 = argmax(x1, x2)
    x4 = ulcorner(x3)
    x5 = invert(x4)
    O = move(I, x3, x5)
    return O

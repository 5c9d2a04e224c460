# Line rules: frames, diagonals and grid lines drawn over the input.

# Draw a grey frame along the outer edge of the grid.
def solve_draw_grid_frame(I):
    x1 = asindices(I)
    x2 = box(x1)
    O = fill(I, FIVE, x2)
    return O


# Draw the main diagonal from the top-left corner in red over the background.
def solve_draw_main_diagonal(I):
    x1 = shoot(ORIGIN, UNITY)
    O = underfill(I, TWO, x1)
    return O


# Draw a blue horizontal line across the middle row over the background.
def solve_draw_middle_row(I):
    x1 = height(I)
    x2 = halve(x1)
    x3 = toivec(x2)
    x4 = hfrontier(x3)
    O = underfill(I, ONE, x4)
    return O


# Draw the anti-diagonal from the top-right corner in azure over the background.
def solve_draw_anti_diagonal(I):
    x1 = asindices(I)
    x2 = urcorner(x1)
    x3 = shoot(x2, DOWN_LEFT)
    O = underfill(I, EIGHT, x3)
    return O


# Draw a yellow vertical line down the middle column over the background.
def solve_draw_middle_column(I):
    x1 = width(I)
    x2 = halve(x1)
    x3 = tojvec(x2)
    x4 = vfrontier(x3)
    O = underfill(I, FOUR, x4)
    return O

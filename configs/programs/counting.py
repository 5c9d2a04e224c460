# Counting rules: small outputs whose size or content encodes counts, colours or rankings.
# The dominant foreground colour breaks count ties toward the smaller colour, the rarest too;
# rankings of objects break ties by position, so no result depends on set iteration order.

# Output a 1xN bar in the dominant foreground colour, N being the number of objects.
def solve_object_count_bar(I):
    x1 = objects(I, T, F, T)
    x2 = size(x1)
    x3 = astuple(ONE, x2)
    x4 = fgpartition(I)
    x5 = compose(invert, color)
    x6 = fork(astuple, size, x5)
    x7 = argmax(x4, x6)
    x8 = color(x7)
    O = canvas(x8, x3)
    return O


# Output an NxN square in the colour of the largest object, N being the number of objects.
def solve_object_count_square(I):
    x1 = objects(I, T, F, T)
    x2 = size(x1)
    x3 = astuple(x2, x2)
    x4 = fork(astuple, size, ulcorner)
    x5 = argmax(x1, x4)
    x6 = color(x5)
    O = canvas(x6, x3)
    return O


# Output an Nx1 column in the rarest foreground colour, N being the number of foreground colours.
def solve_foreground_colour_count_column(I):
    x1 = fgpartition(I)
    x2 = size(x1)
    x3 = astuple(x2, ONE)
    x4 = fork(astuple, size, color)
    x5 = argmin(x1, x4)
    x6 = color(x5)
    O = canvas(x6, x3)
    return O


# Output a single cell of the dominant foreground colour.
def solve_dominant_colour_cell(I):
    x1 = fgpartition(I)
    x2 = compose(invert, color)
    x3 = fork(astuple, size, x2)
    x4 = argmax(x1, x3)
    x5 = color(x4)
    O = canvas(x5, UNITY)
    return O


# Output a 2x2 block of the rarest foreground colour.
def solve_rarest_colour_block(I):
    x1 = fgpartition(I)
    x2 = fork(astuple, size, color)
    x3 = argmin(x1, x2)
    x4 = color(x3)
    O = canvas(x4, TWO_BY_TWO)
    return O


# Output a 1xN bar of the rarest foreground colour, N being how many cells have that colour.
def solve_rarest_colour_cell_count_bar(I):
    x1 = fgpartition(I)
    x2 = fork(astuple, size, color)
    x3 = argmin(x1, x2)
    x4 = color(x3)
    x5 = size(x3)
    x6 = astuple(ONE, x5)
    O = canvas(x4, x6)
    return O


# List the objects' colours in a row, ordered from the smallest object to the largest.
def solve_colours_by_object_size(I):
    x1 = objects(I, T, F, T)
    x2 = fork(astuple, size, ulcorner)
    x3 = order(x1, x2)
    x4 = apply(color, x3)
    O = repeat(x4, ONE)
    return O


# List the objects' colours in a column, ordered from the leftmost object to the rightmost.
def solve_colours_left_to_right_column(I):
    x1 = objects(I, T, F, T)
    x2 = fork(astuple, leftmost, uppermost)
    x3 = order(x1, x2)
    x4 = apply(color, x3)
    x5 = repeat(x4, ONE)
    O = dmirror(x5)
    return O


# List every colour in the grid once, in ascending order, as a row.
def solve_palette_row(I):
    x1 = palette(I)
    x2 = order(x1, identity)
    O = repeat(x2, ONE)
    return O


# Output a rectangle of the dominant foreground colour: one row per object, one column per colour.
def solve_objects_by_colours_rectangle(I):
    x1 = objects(I, T, F, T)
    x2 = size(x1)
    x3 = numcolors(I)
    x4 = astuple(x2, x3)
    x5 = fgpartition(I)
    x6 = compose(invert, color)
    x7 = fork(astuple, size, x6)
    x8 = argmax(x5, x7)
    x9 = color(x8)
    O = canvas(x9, x4)
    return O


# Output a block in the largest object's colour, as big as the foreground's bounding box.
def solve_foreground_extent_block(I):
    x1 = fgpartition(I)
    x2 = merge(x1)
    x3 = shape(x2)
    x4 = objects(I, T, F, T)
    x5 = fork(astuple, size, ulcorner)
    x6 = argmax(x4, x5)
    x7 = color(x6)
    O = canvas(x7, x3)
    return O


# Output a column as tall as the largest object has cells, in that object's colour.
def solve_largest_object_size_column(I):
    x1 = objects(I, T, F, T)
    x2 = fork(astuple, size, ulcorner)
    x3 = argmax(x1, x2)
    x4 = size(x3)
    x5 = astuple(x4, ONE)
    x6 = color(x3)
    O = canvas(x6, x5)
    return O


# Output a 1xN bar of grey, N being the number of single-cell objects plus one.
def solve_count_single_cells_bar(I):
    x1 = objects(I, T, T, T)
    x2 = sizefilter(x1, ONE)
    x3 = size(x2)
    x4 = increment(x3)
    x5 = astuple(ONE, x4)
    O = canvas(FIVE, x5)
    return O

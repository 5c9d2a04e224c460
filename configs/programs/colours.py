# Colour rules: colour maps, replace/switch, recolouring by size, colour or position,
# background fills.
# "Rarest" and "dominant" foreground colours break count ties toward the smaller colour; "largest",
# "smallest" etc. objects break ties by position, so that no result depends on set iteration order.

# Swap the background colour with the rarest foreground colour.
def solve_swap_background_and_rarest(I):
    x1 = mostcolor(I)
    x2 = fgpartition(I)
    x3 = fork(astuple, size, color)
    x4 = argmin(x2, x3)
    x5 = color(x4)
    O = switch(I, x1, x5)
    return O


# Surround every cell of the rarest foreground colour with a grey halo over the background.
def solve_halo_around_rarest_colour(I):
    x1 = fgpartition(I)
    x2 = fork(astuple, size, color)
    x3 = argmin(x1, x2)
    x4 = toindices(x3)
    x5 = mapply(neighbors, x4)
    O = underfill(I, FIVE, x5)
    return O


# Recolour the cells of the most frequent foreground colour yellow and all other foreground magenta.
def solve_dominant_yellow_others_magenta(I):
    x1 = fgpartition(I)
    x2 = compose(invert, color)
    x3 = fork(astuple, size, x2)
    x4 = argmax(x1, x3)
    x5 = merge(x1)
    x6 = fill(I, SIX, x5)
    O = fill(x6, FOUR, x4)
    return O


# Paint every foreground cell grey.
def solve_foreground_to_grey(I):
    x1 = mostcolor(I)
    x2 = ofcolor(I, x1)
    x3 = asindices(I)
    x4 = difference(x3, x2)
    O = fill(I, FIVE, x4)
    return O


# Paint the background grey.
def solve_background_to_grey(I):
    x1 = mostcolor(I)
    O = replace(I, x1, FIVE)
    return O


# Paint the background in the most frequent foreground colour.
def solve_background_to_dominant_colour(I):
    x1 = fgpartition(I)
    x2 = compose(invert, color)
    x3 = fork(astuple, size, x2)
    x4 = argmax(x1, x3)
    x5 = color(x4)
    x6 = mostcolor(I)
    O = replace(I, x6, x5)
    return O


# Negative image: background takes the rarest foreground colour, foreground the background colour.
def solve_negative_image(I):
    x1 = mostcolor(I)
    x2 = fgpartition(I)
    x3 = fork(astuple, size, color)
    x4 = argmin(x2, x3)
    x5 = color(x4)
    x6 = ofcolor(I, x1)
    x7 = asindices(I)
    x8 = difference(x7, x6)
    x9 = fill(I, x5, x6)
    O = fill(x9, x1, x8)
    return O


# Map every colour c in 1..8 to 9 - c (1<->8, 2<->7, 3<->6, 4<->5).
def solve_reverse_palette(I):
    x1 = switch(I, ONE, EIGHT)
    x2 = switch(x1, TWO, SEVEN)
    x3 = switch(x2, THREE, SIX)
    O = switch(x3, FOUR, FIVE)
    return O


# Swap colours in pairs: 1<->2, 3<->4, 5<->6, 7<->8.
def solve_swap_colour_pairs(I):
    x1 = switch(I, ONE, TWO)
    x2 = switch(x1, THREE, FOUR)
    x3 = switch(x2, FIVE, SIX)
    O = switch(x3, SEVEN, EIGHT)
    return O


# Cycle the colours 1..9 up by one (9 becomes 1); colour 0 stays.
def solve_cycle_colours_up(I):
    x1 = replace(I, NINE, TEN)
    x2 = replace(x1, EIGHT, NINE)
    x3 = replace(x2, SEVEN, EIGHT)
    x4 = replace(x3, SIX, SEVEN)
    x5 = replace(x4, FIVE, SIX)
    x6 = replace(x5, FOUR, FIVE)
    x7 = replace(x6, THREE, FOUR)
    x8 = replace(x7, TWO, THREE)
    x9 = replace(x8, ONE, TWO)
    O = replace(x9, TEN, ONE)
    return O


# Recolour the largest object blue and the smallest object red.
def solve_largest_blue_smallest_red(I):
    x1 = objects(I, T, F, T)
    x2 = fork(astuple, size, ulcorner)
    x3 = argmax(x1, x2)
    x4 = argmin(x1, x2)
    x5 = fill(I, ONE, x3)
    O = fill(x5, TWO, x4)
    return O


# Recolour the largest object azure.
def solve_recolour_largest_object(I):
    x1 = objects(I, T, F, T)
    x2 = fork(astuple, size, ulcorner)
    x3 = argmax(x1, x2)
    O = fill(I, EIGHT, x3)
    return O


# Recolour the smallest object green.
def solve_recolour_smallest_object(I):
    x1 = objects(I, T, F, T)
    x2 = fork(astuple, size, ulcorner)
    x3 = argmin(x1, x2)
    O = fill(I, THREE, x3)
    return O


# Recolour the tallest object yellow.
def solve_recolour_tallest_object(I):
    x1 = objects(I, T, F, T)
    x2 = fork(astuple, height, ulcorner)
    x3 = argmax(x1, x2)
    O = fill(I, FOUR, x3)
    return O


# Recolour the widest object magenta.
def solve_recolour_widest_object(I):
    x1 = objects(I, T, F, T)
    x2 = fork(astuple, width, ulcorner)
    x3 = argmax(x1, x2)
    O = fill(I, SIX, x3)
    return O


# Recolour the object that reaches lowest in the grid orange.
def solve_recolour_lowest_object(I):
    x1 = objects(I, T, F, T)
    x2 = fork(astuple, lowermost, ulcorner)
    x3 = argmax(x1, x2)
    O = fill(I, SEVEN, x3)
    return O


# Recolour the object that starts furthest left maroon.
def solve_recolour_leftmost_object(I):
    x1 = objects(I, T, F, T)
    x2 = fork(astuple, leftmost, uppermost)
    x3 = argmin(x1, x2)
    O = fill(I, NINE, x3)
    return O


# Recolour every object with more than four cells azure and every other object red.
def solve_recolour_objects_by_size_threshold(I):
    x1 = objects(I, T, F, T)
    x2 = rbind(greater, FOUR)
    x3 = compose(x2, size)
    x4 = mfilter(x1, x3)
    x5 = merge(x1)
    x6 = fill(I, TWO, x5)
    O = fill(x6, EIGHT, x4)
    return O


# Recolour objects centred in the left half of the grid red and the others blue.
def solve_colour_objects_by_side(I):
    x1 = objects(I, T, F, T)
    x2 = width(I)
    x3 = halve(x2)
    x4 = lbind(greater, x3)
    x5 = compose(last, center)
    x6 = compose(x4, x5)
    x7 = mfilter(x1, x6)
    x8 = merge(x1)
    x9 = fill(I, ONE, x8)
    O = fill(x9, TWO, x7)
    return O


# Recolour all objects in the largest object's colour, then swap that colour with the background.
def solve_unify_and_invert(I):
    x1 = objects(I, T, F, T)
    x2 = fork(astuple, size, ulcorner)
    x3 = argmax(x1, x2)
    x4 = color(x3)
    x5 = merge(x1)
    x6 = fill(I, x4, x5)
    x7 = mostcolor(I)
    O = switch(x6, x7, x4)
    return O


# Recolour the rectangular (box-shaped) objects green and the irregular ones red.
def solve_recolour_rectangles_green(I):
    x1 = objects(I, T, F, T)
    x2 = fork(equality, toindices, backdrop)
    x3 = mfilter(x1, x2)
    x4 = merge(x1)
    x5 = fill(I, TWO, x4)
    O = fill(x5, THREE, x3)
    return O

# Object rules: extraction and filtering, crops to an object, outlines, boxes, rays and marks.
# "Largest"/"smallest" objects break size ties by position (upper-left corner), so that no result
# depends on set iteration order.

# Crop the grid to the bounding box of the largest object.
def solve_crop_largest_object(I):
    x1 = objects(I, T, F, T)
    x2 = fork(astuple, size, ulcorner)
    x3 = argmax(x1, x2)
    O = subgrid(x3, I)
    return O


# Crop the grid to the bounding box of the smallest object.
def solve_crop_smallest_object(I):
    x1 = objects(I, T, F, T)
    x2 = fork(astuple, size, ulcorner)
    x3 = argmin(x1, x2)
    O = subgrid(x3, I)
    return O


# Recolour objects that touch the grid's edge blue and all other objects red.
def solve_border_objects_blue_others_red(I):
    x1 = objects(I, T, F, T)
    x2 = rbind(bordering, I)
    x3 = mfilter(x1, x2)
    x4 = merge(x1)
    x5 = fill(I, TWO, x4)
    O = fill(x5, ONE, x3)
    return O


# Delete the largest object.
def solve_delete_largest_object(I):
    x1 = objects(I, T, F, T)
    x2 = fork(astuple, size, ulcorner)
    x3 = argmax(x1, x2)
    O = cover(I, x3)
    return O


# Delete the smallest object.
def solve_delete_smallest_object(I):
    x1 = objects(I, T, F, T)
    x2 = fork(astuple, size, ulcorner)
    x3 = argmin(x1, x2)
    O = cover(I, x3)
    return O


# Keep only the largest object on an empty background.
def solve_keep_only_largest_object(I):
    x1 = objects(I, T, F, T)
    x2 = fork(astuple, size, ulcorner)
    x3 = argmax(x1, x2)
    x4 = mostcolor(I)
    x5 = shape(I)
    x6 = canvas(x4, x5)
    O = paint(x6, x3)
    return O


# Surround every object with an azure halo on its eight neighbouring background cells.
def solve_halo_around_objects(I):
    x1 = objects(I, T, F, T)
    x2 = merge(x1)
    x3 = toindices(x2)
    x4 = mapply(neighbors, x3)
    O = underfill(I, EIGHT, x4)
    return O


# Mark the four side-neighbouring background cells of every foreground cell yellow.
def solve_side_halo_around_objects(I):
    x1 = objects(I, T, F, T)
    x2 = merge(x1)
    x3 = toindices(x2)
    x4 = mapply(dneighbors, x3)
    O = underfill(I, FOUR, x4)
    return O


# Draw a red rectangle around the bounding box of every object.
def solve_box_around_each_object(I):
    x1 = objects(I, T, F, T)
    x2 = mapply(outbox, x1)
    O = underfill(I, TWO, x2)
    return O


# Draw a green rectangle around the bounding box of all foreground cells.
def solve_frame_all_content(I):
    x1 = fgpartition(I)
    x2 = merge(x1)
    x3 = outbox(x2)
    O = fill(I, THREE, x3)
    return O


# Draw a blue rectangle around the largest object only.
def solve_box_around_largest_object(I):
    x1 = objects(I, T, F, T)
    x2 = fork(astuple, size, ulcorner)
    x3 = argmax(x1, x2)
    x4 = outbox(x3)
    O = fill(I, ONE, x4)
    return O


# Extend every object sideways over the background in its colour; the smaller wins where lines meet.
def solve_extend_objects_horizontally(I):
    x1 = objects(I, T, F, T)
    x2 = fork(astuple, size, ulcorner)
    x3 = order(x1, x2)
    x4 = lbind(mapply, hfrontier)
    x5 = compose(x4, toindices)
    x6 = fork(recolor, color, x5)
    x7 = apply(x6, x3)
    x8 = merge(x7)
    O = underpaint(I, x8)
    return O


# Let every object drip down to the bottom edge in its colour; the smaller wins where drips meet.
def solve_drip_objects_down(I):
    x1 = objects(I, T, F, T)
    x2 = fork(astuple, size, ulcorner)
    x3 = order(x1, x2)
    x4 = rbind(shoot, DOWN)
    x5 = lbind(mapply, x4)
    x6 = compose(x5, toindices)
    x7 = fork(recolor, color, x6)
    x8 = apply(x7, x3)
    x9 = merge(x8)
    O = underpaint(I, x9)
    return O


# Draw grey vertical lines over the background through every column holding a foreground cell.
def solve_vertical_lines_through_objects(I):
    x1 = fgpartition(I)
    x2 = merge(x1)
    x3 = toindices(x2)
    x4 = mapply(vfrontier, x3)
    O = underfill(I, FIVE, x4)
    return O


# Draw magenta horizontal lines over the background through every row holding a foreground cell.
def solve_horizontal_lines_through_objects(I):
    x1 = fgpartition(I)
    x2 = merge(x1)
    x3 = toindices(x2)
    x4 = mapply(hfrontier, x3)
    O = underfill(I, SIX, x4)
    return O


# Mark the centre cell of every object's bounding box red.
def solve_mark_object_centres(I):
    x1 = objects(I, T, F, T)
    x2 = apply(center, x1)
    O = fill(I, TWO, x2)
    return O


# Draw an azure cross (full row and column) over the background through the largest object's centre.
def solve_cross_through_largest_object(I):
    x1 = objects(I, T, F, T)
    x2 = fork(astuple, size, ulcorner)
    x3 = argmax(x1, x2)
    x4 = center(x3)
    x5 = hfrontier(x4)
    x6 = vfrontier(x4)
    x7 = combine(x5, x6)
    O = underfill(I, EIGHT, x7)
    return O


# Colour the four bounding-box corners of every object yellow.
def solve_mark_object_corners(I):
    x1 = objects(I, T, F, T)
    x2 = mapply(corners, x1)
    O = fill(I, FOUR, x2)
    return O


# Shoot a magenta diagonal ray down-right from the lower-right corner of every object.
def solve_diagonal_rays_from_objects(I):
    x1 = objects(I, T, F, T)
    x2 = apply(lrcorner, x1)
    x3 = rbind(shoot, UNITY)
    x4 = mapply(x3, x2)
    O = underfill(I, SIX, x4)
    return O


# Underline every object with an orange line in the row just below it.
def solve_underline_objects(I):
    x1 = objects(I, T, F, T)
    x2 = rbind(add, DOWN)
    x3 = compose(x2, llcorner)
    x4 = compose(x2, lrcorner)
    x5 = fork(connect, x3, x4)
    x6 = mapply(x5, x1)
    O = underfill(I, SEVEN, x6)
    return O


# Recolour the cells of every object that lie on its bounding-box border maroon.
def solve_recolour_object_rims(I):
    x1 = objects(I, T, F, T)
    x2 = fork(intersection, toindices, box)
    x3 = mapply(x2, x1)
    O = fill(I, NINE, x3)
    return O


# Shoot a vertical line up from the top edge of every object to the top of the grid, in blue.
def solve_rays_up_from_objects(I):
    x1 = objects(I, T, F, T)
    x2 = apply(ulcorner, x1)
    x3 = rbind(shoot, UP)
    x4 = mapply(x3, x2)
    O = underfill(I, ONE, x4)
    return O

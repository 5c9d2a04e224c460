# Whole-grid geometric transforms: rotations, mirrors, transposes, crops, scaling and tilings.

# Rotate the whole grid a quarter turn clockwise.
def solve_rotate_clockwise(I):
    O = rot90(I)
    return O


# Rotate the whole grid half a turn.
def solve_rotate_half_turn(I):
    O = rot180(I)
    return O


# Rotate the whole grid a quarter turn counterclockwise.
def solve_rotate_counterclockwise(I):
    O = rot270(I)
    return O


# Mirror the grid left to right.
def solve_mirror_left_right(I):
    O = vmirror(I)
    return O


# Mirror the grid top to bottom.
def solve_mirror_top_bottom(I):
    O = hmirror(I)
    return O


# Transpose the grid along its main diagonal.
def solve_transpose_main_diagonal(I):
    O = dmirror(I)
    return O


# Transpose the grid along its anti-diagonal.
def solve_transpose_anti_diagonal(I):
    O = cmirror(I)
    return O


# Append the left-right mirror image to the right of the grid.
def solve_append_mirror_right(I):
    x1 = vmirror(I)
    O = hconcat(I, x1)
    return O


# Append the top-bottom mirror image below the grid.
def solve_append_mirror_below(I):
    x1 = hmirror(I)
    O = vconcat(I, x1)
    return O


# Crop to the non-background content and append its left-right mirror image to its right.
def solve_mirror_content_right(I):
    x1 = fgpartition(I)
    x2 = merge(x1)
    x3 = subgrid(x2, I)
    x4 = vmirror(x3)
    O = hconcat(x3, x4)
    return O


# Crop to the non-background content and build a 2x2 kaleidoscope of it and its three mirror images.
def solve_kaleidoscope_of_content(I):
    x1 = fgpartition(I)
    x2 = merge(x1)
    x3 = subgrid(x2, I)
    x4 = vmirror(x3)
    x5 = hconcat(x3, x4)
    x6 = hmirror(x5)
    O = vconcat(x5, x6)
    return O


# Crop to the non-background content and tile it twice horizontally and twice vertically.
def solve_tile_content_two_by_two(I):
    x1 = fgpartition(I)
    x2 = merge(x1)
    x3 = subgrid(x2, I)
    x4 = hconcat(x3, x3)
    O = vconcat(x4, x4)
    return O


# Repeat the grid twice side by side.
def solve_repeat_side_by_side(I):
    O = hconcat(I, I)
    return O


# Stack the grid on top of its half-turn rotation.
def solve_stack_with_half_turn(I):
    x1 = rot180(I)
    O = vconcat(I, x1)
    return O


# Scale the grid up by two in both directions.
def solve_upscale_by_two(I):
    O = upscale(I, TWO)
    return O


# Stretch the grid to twice its width.
def solve_stretch_horizontally(I):
    O = hupscale(I, TWO)
    return O


# Stretch the grid to twice its height.
def solve_stretch_vertically(I):
    O = vupscale(I, TWO)
    return O


# Keep every second row and column (downscale by two).
def solve_downscale_by_two(I):
    O = downscale(I, TWO)
    return O


# Crop the grid to the bounding box of all non-background cells.
def solve_crop_to_foreground(I):
    x1 = fgpartition(I)
    x2 = merge(x1)
    O = subgrid(x2, I)
    return O


# Crop to the bounding box of all non-background cells and scale it up by two.
def solve_crop_foreground_upscale(I):
    x1 = fgpartition(I)
    x2 = merge(x1)
    x3 = subgrid(x2, I)
    O = upscale(x3, TWO)
    return O


# Delete every row and column that holds a single colour.
def solve_remove_uniform_lines(I):
    O = compress(I)
    return O


# Cut away the outermost ring of cells.
def solve_trim_outer_ring(I):
    O = trim(I)
    return O


# Keep the top half of the grid.
def solve_keep_top_half(I):
    O = tophalf(I)
    return O


# Keep the left half of the grid.
def solve_keep_left_half(I):
    O = lefthalf(I)
    return O


# Keep the bottom-right quarter of the grid.
def solve_keep_bottom_right_quarter(I):
    x1 = bottomhalf(I)
    O = righthalf(x1)
    return O


# Swap the left and right halves of the grid.
def solve_swap_left_right_halves(I):
    x1 = lefthalf(I)
    x2 = righthalf(I)
    O = hconcat(x2, x1)
    return O


# Swap the top and bottom halves of the grid.
def solve_swap_top_bottom_halves(I):
    x1 = tophalf(I)
    x2 = bottomhalf(I)
    O = vconcat(x2, x1)
    return O


# Surround the grid with a one-cell frame in its rarest foreground colour.
def solve_add_frame_rarest_colour(I):
    x1 = fgpartition(I)
    x2 = fork(astuple, size, color)
    x3 = argmin(x1, x2)
    x4 = color(x3)
    x5 = shape(I)
    x6 = add(x5, TWO)
    x7 = canvas(x4, x6)
    x8 = asobject(I)
    x9 = shift(x8, UNITY)
    O = paint(x7, x9)
    return O


# Transpose the grid and crop it to its non-background content.
def solve_transpose_and_crop(I):
    x1 = dmirror(I)
    x2 = fgpartition(x1)
    x3 = merge(x2)
    O = subgrid(x3, x1)
    return O


# Crop to the non-background content and rotate it a quarter turn clockwise.
def solve_rotate_content_clockwise(I):
    x1 = fgpartition(I)
    x2 = merge(x1)
    x3 = subgrid(x2, I)
    O = rot90(x3)
    return O


# Crop to the smallest object's bounding box and scale it up by three.
def solve_upscale_smallest_object_by_three(I):
    x1 = objects(I, T, F, T)
    x2 = fork(astuple, size, ulcorner)
    x3 = argmin(x1, x2)
    x4 = subgrid(x3, I)
    O = upscale(x4, THREE)
    return O

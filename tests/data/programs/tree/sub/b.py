# A second file in a subfolder; solve_shared repeats a name from tree/a.py.
def solve_b(I):
    x1 = hmirror(I)
    return vconcat(x1, x1)


def solve_shared(I):
    return rot90(I)

# Folder loading: files are read in sorted path order (tree/a.py before tree/sub/b.py).
def solve_a(I):
    return hmirror(I)


def solve_shared(I):
    return vmirror(I)

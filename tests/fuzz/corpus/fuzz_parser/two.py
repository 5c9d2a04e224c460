def solve_a(I):
    x1 = hmirror(I)
    x2 = fork(combine, identity, x1)
    O = vconcat(I, x1)
    return O

def solve_b(S, I, C):
    x1 = o_g(I, R5)
    x2 = get_nth_f(x1, F0)
    O = subgrid(x2, I)
    return O

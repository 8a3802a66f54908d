"""Mutant: returns the tutorial's answer without fitting anything."""


def fit_numpy(x, y, w, b, lr=0.001, iters=800):
    return 2.9987, 2.0989


def fit_autograd(x, y, w, b, lr=0.001, iters=800):
    return 2.958, 2.099


w, b = 3.0, 2.1

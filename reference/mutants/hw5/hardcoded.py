"""Mutant: both fits return the tutorial's answers without fitting anything.

Hint: fit the data you are given, from the w and b you are given: hidden data has other
answers than the tutorial's 3 and 2.1.
"""


def fit_numpy(x, y, w, b, lr=0.001, iters=800):
    return 2.9987, 2.0989


def fit_autograd(x, y, w, b, lr=0.001, iters=800):
    return 2.958, 2.099


w, b = 3.0, 2.1

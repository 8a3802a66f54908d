"""Mutant: fit_numpy ignores its `iters` argument and always takes 800 steps.

Hint: loop `for _ in range(iters)` with the count you are given, not the tutorial's 800
written out.
"""

import numpy as np
import torch


def fit_numpy(x, y, w, b, lr=0.001, iters=800):
    w = np.asarray(w, dtype=np.float64).reshape(1, 1).copy()
    b = np.asarray(b, dtype=np.float64).reshape(1, 1).copy()
    x2 = x**2
    for _ in range(800):
        y_pred = x2 * w + b
        residual = y_pred - y  # d(0.5 * sum((y_pred - y)^2)) / dy_pred
        grad_w = np.sum(residual * x2)
        grad_b = np.sum(residual)
        w -= lr * grad_w
        b -= lr * grad_b
    return float(w.item()), float(b.item())


def fit_autograd(x, y, w, b, lr=0.001, iters=800):
    for _ in range(iters):
        y_pred = x.pow(2).mm(w) + b
        loss = 0.5 * ((y_pred - y) ** 2).sum()
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
            b -= lr * b.grad
        w.grad.zero_()
        b.grad.zero_()
    return float(w.item()), float(b.item())

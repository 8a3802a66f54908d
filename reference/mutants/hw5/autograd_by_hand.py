"""Mutant: fit_autograd writes the gradients by hand instead of using backward().

Hint: build the loss from w and b (tensors that require grad), call loss.backward() and
step with w.grad and b.grad: the point of fit_autograd is that autograd computes them.
"""

import numpy as np
import torch


def fit_numpy(x, y, w, b, lr=0.001, iters=800):
    for _ in range(iters):
        r = w * x**2 + b - y
        w = w - lr * np.sum(r * x**2)
        b = b - lr * np.sum(r)
    return float(np.squeeze(w)), float(np.squeeze(b))


def fit_autograd(x, y, w, b, lr=0.001, iters=800):
    w, b = w.detach().clone(), b.detach().clone()
    for _ in range(iters):
        r = x.pow(2).mm(w) + b - y
        w = w - lr * (r * x.pow(2)).sum()
        b = b - lr * r.sum()
    return w.item(), b.item()

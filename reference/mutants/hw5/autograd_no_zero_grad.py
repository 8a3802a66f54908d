"""Mutant: fit_autograd never zeroes the gradients, so they accumulate.

Hint: backward() adds to w.grad and b.grad; zero them (w.grad.zero_(), or set them to
None) after every update so each step uses that step's gradient only.
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
    for _ in range(iters):
        loss = 0.5 * ((x.pow(2).mm(w) + b - y) ** 2).sum()
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
            b -= lr * b.grad
    return w.item(), b.item()

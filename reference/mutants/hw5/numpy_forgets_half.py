"""Mutant: fit_numpy's gradients are those of sum((y_pred - y)**2), without the 0.5 (twice too large).

Hint: the loss is 0.5 * sum((y_pred - y)**2), so grad_w = sum((y_pred - y) * x**2) and
grad_b = sum(y_pred - y), with no factor 2.
"""

import numpy as np
import torch


def fit_numpy(x, y, w, b, lr=0.001, iters=800):
    for _ in range(iters):
        r = w * x**2 + b - y
        w = w - lr * 2 * np.sum(r * x**2)
        b = b - lr * 2 * np.sum(r)
    return float(np.squeeze(w)), float(np.squeeze(b))


def fit_autograd(x, y, w, b, lr=0.001, iters=800):
    for _ in range(iters):
        loss = 0.5 * ((x.pow(2).mm(w) + b - y) ** 2).sum()
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
            b -= lr * b.grad
            w.grad.zero_()
            b.grad.zero_()
    return w.item(), b.item()

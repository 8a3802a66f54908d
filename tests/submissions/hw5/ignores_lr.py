# Bug: both fits ignore the lr and iters arguments (hard-coded 0.001 and 800).
import numpy as np
import torch


def fit_numpy(x, y, w, b, lr=0.001, iters=800):
    for _ in range(800):
        r = w * x**2 + b - y
        w = w - 0.001 * np.sum(r * x**2)
        b = b - 0.001 * np.sum(r)
    return w, b


def fit_autograd(x, y, w, b, lr=0.001, iters=800):
    for _ in range(800):
        loss = 0.5 * ((w * x**2 + b - y) ** 2).sum()
        loss.backward()
        with torch.no_grad():
            w -= 0.001 * w.grad
            b -= 0.001 * b.grad
            w.grad.zero_()
            b.grad.zero_()
    return w, b

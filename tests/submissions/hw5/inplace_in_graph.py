# Bug: updates the leaf tensors in place without torch.no_grad(): torch raises.
# fit_numpy uses the mean instead of the sum in its gradients.
import numpy as np
import torch


def fit_numpy(x, y, w, b, lr=0.001, iters=800):
    for _ in range(iters):
        r = w * x**2 + b - y
        w = w - lr * np.mean(r * x**2)
        b = b - lr * np.mean(r)
    return w, b


def fit_autograd(x, y, w, b, lr=0.001, iters=800):
    for _ in range(iters):
        loss = 0.5 * ((w * x**2 + b - y) ** 2).sum()
        loss.backward()
        w -= lr * w.grad
        b -= lr * b.grad
        w.grad.zero_()
        b.grad.zero_()
    return w, b

"""Mutant: fit_numpy lets torch's autodiff compute its gradients.

Hint: fit_numpy is the by-hand half of the homework: compute grad_w = sum((y_pred - y) *
x**2) and grad_b = sum(y_pred - y) with NumPy yourself, without torch or backward().
"""

import numpy as np
import torch


def fit_numpy(x, y, w, b, lr=0.001, iters=800):
    xt, yt = torch.from_numpy(np.asarray(x, dtype=np.float64)), torch.from_numpy(y)
    wt = torch.tensor(np.reshape(w, (1, 1)), dtype=torch.float64, requires_grad=True)
    bt = torch.tensor(np.reshape(b, (1, 1)), dtype=torch.float64, requires_grad=True)
    for _ in range(iters):
        loss = 0.5 * ((xt.pow(2).mm(wt) + bt - yt) ** 2).sum()
        loss.backward()
        with torch.no_grad():
            wt -= lr * wt.grad
            bt -= lr * bt.grad
        wt.grad.zero_()
        bt.grad.zero_()
    return float(wt.item()), float(bt.item())


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

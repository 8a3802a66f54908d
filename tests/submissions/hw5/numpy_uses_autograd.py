# Bug (rule): fit_numpy lets torch compute its gradients.
import numpy as np
import torch


def fit_numpy(x, y, w, b, lr=0.001, iters=800):
    tx, ty = torch.tensor(x), torch.tensor(y)
    tw = torch.tensor(np.reshape(w, (1, 1)), requires_grad=True)
    tb = torch.tensor(np.reshape(b, (1, 1)), requires_grad=True)
    for _ in range(iters):
        loss = 0.5 * ((tx**2 @ tw + tb - ty) ** 2).sum()
        loss.backward()
        with torch.no_grad():
            tw -= lr * tw.grad
            tb -= lr * tb.grad
            tw.grad.zero_()
            tb.grad.zero_()
    return tw.item(), tb.item()


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

# Bug (rule): fit_numpy lets torch differentiate in forward mode (torch.func.jacfwd).
import numpy as np
import torch
from torch.func import jacfwd


def fit_numpy(x, y, w, b, lr=0.001, iters=800):
    tx, ty = torch.tensor(x), torch.tensor(y)
    params = torch.tensor([float(np.reshape(w, -1)[0]), float(np.reshape(b, -1)[0])])

    def loss(p):
        return 0.5 * ((tx**2 * p[0] + p[1] - ty) ** 2).sum()

    for _ in range(iters):
        params = params - lr * jacfwd(loss)(params)
    return params[0].item(), params[1].item()


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

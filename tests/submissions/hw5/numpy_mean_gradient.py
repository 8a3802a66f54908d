# A student's hw5 with one mistake, written unlike any mutant: fit_numpy
# averages its gradients (`.mean()`), in a float-and-ravel style; fit_autograd
# is right and zeroes its gradients with `grad = None`.
import numpy as np
import torch


def fit_numpy(x, y, w, b, lr=0.001, iters=800):
    w, b = float(np.squeeze(w)), float(np.squeeze(b))
    xx = np.ravel(x) ** 2
    target = np.ravel(y)
    for step in range(iters):
        error = w * xx + b - target
        dw = (error * xx).mean()
        db = error.mean()
        w, b = w - lr * dw, b - lr * db
    return w, b


def fit_autograd(x, y, w, b, lr=0.001, iters=800):
    for step in range(iters):
        loss = ((x * x @ w + b - y) ** 2).sum() * 0.5
        loss.backward()
        with torch.no_grad():
            w.sub_(lr * w.grad)
            b.sub_(lr * b.grad)
        w.grad = None
        b.grad = None
    return w.item(), b.item()


if __name__ == "__main__":
    x = np.linspace(-1, 1, 100).reshape(100, 1)
    y = 3 * x**2 + 2 + 0.2 * np.random.rand(100, 1)
    w, b = fit_numpy(x, y, np.random.rand(1, 1), np.random.rand(1, 1))
    print(w, b)

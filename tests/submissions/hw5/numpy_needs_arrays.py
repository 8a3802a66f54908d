# Bug: fit_numpy indexes w[0, 0], so it works for (1, 1) arrays and crashes on floats.

import numpy as np
import torch


def fit_numpy(x, y, w, b, lr=0.001, iters=800):
    w = np.full((1, 1), w[0, 0])
    b = np.full((1, 1), b[0, 0])
    x2 = x**2
    for _ in range(iters):
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


if __name__ == "__main__":
    x = np.linspace(-1, 1, 100).reshape(100, 1)
    y = 3 * x**2 + 2 + 0.2 * np.random.rand(100, 1)
    w, b = fit_numpy(x, y, np.random.rand(1, 1), np.random.rand(1, 1))
    print(f"numpy:    w = {w:.4f}, b = {b:.4f}")

    xt = torch.linspace(-1, 1, 100).view(100, 1)
    yt = 3 * xt.pow(2) + 2 + 0.2 * torch.rand(xt.size())
    wt = torch.randn(1, 1, requires_grad=True)
    bt = torch.zeros(1, 1, requires_grad=True)
    w, b = fit_autograd(xt, yt, wt, bt)
    print(f"autograd: w = {w:.4f}, b = {b:.4f}")

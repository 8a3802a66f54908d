"""hw5: quadratic regression y = w * x**2 + b, twice.

First with NumPy and gradients written by hand (fit_numpy), then with PyTorch
autograd (fit_autograd). Loss: 0.5 * sum((y_pred - y) ** 2). Fill in the TODOs.
"""

import numpy as np
import torch


def fit_numpy(x, y, w, b, lr=0.001, iters=800):
    """x, y: (N, 1) arrays; w, b: floats or (1, 1) arrays. Return (w, b) after training."""
    for _ in range(iters):
        # TODO: y_pred, then grad_w and grad_b by hand, then the update.
        pass
    return w, b


def fit_autograd(x, y, w, b, lr=0.001, iters=800):
    """x, y: (N, 1) tensors; w, b: (1, 1) tensors with requires_grad=True. Return (w, b)."""
    for _ in range(iters):
        # TODO: y_pred, loss, loss.backward(), update under torch.no_grad(), zero the grads.
        pass
    return w, b


if __name__ == "__main__":
    x = np.linspace(-1, 1, 100).reshape(100, 1)
    y = 3 * x**2 + 2 + 0.2 * np.random.rand(100, 1)
    w, b = fit_numpy(x, y, np.random.rand(1, 1), np.random.rand(1, 1))
    print("numpy:", w, b)

    xt = torch.linspace(-1, 1, 100).view(100, 1)
    yt = 3 * xt.pow(2) + 2 + 0.2 * torch.rand(xt.size())
    w, b = fit_autograd(
        xt, yt, torch.randn(1, 1, requires_grad=True), torch.zeros(1, 1, requires_grad=True)
    )
    print("autograd:", w, b)

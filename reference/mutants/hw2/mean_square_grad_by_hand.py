"""Mutant: mean_square_grad never runs autograd: it calls neither backward() nor torch.autograd.grad.

Hint: the exercise is autograd: build out = (3 * (x + 2) ** 2).mean() from a
leaf x that requires grad, call out.backward() and return x.grad (or use
torch.autograd.grad), instead of computing the answer with a formula of your own.
"""

import torch


def train_linear(x_data, y_data, w_init=1.0, lr=0.01, epochs=100):
    """Fit y = x * w by per-sample SGD; return (w, losses) with losses[e] the last sample's loss."""
    w = torch.tensor([float(w_init)], requires_grad=True)
    losses = []
    for _ in range(epochs):
        for x_val, y_val in zip(x_data, y_data, strict=True):
            loss = (x_val * w - y_val) ** 2
            loss.backward()
            with torch.no_grad():
                w -= lr * w.grad
            w.grad.zero_()
        losses.append(loss.item())
    return w.item(), losses


def mean_square_grad(x):
    """Mutant: the analytic formula, written by hand instead of autograd."""
    return 6 * (x.detach() + 2) / x.numel()


def vector_jacobian_product(f, x, v):
    """x.grad after y = f(x); y.backward(v): the vector-Jacobian product v^T J."""
    x = x.detach().clone().requires_grad_(True)
    y = f(x)
    y.backward(v)
    return x.grad


def no_grad_square(x):
    """x ** 2 computed without recording a graph."""
    with torch.no_grad():
        return x**2


if __name__ == "__main__":
    x = torch.ones(2, 2, requires_grad=True)
    y = x + 2
    z = y * y * 3
    out = z.mean()
    out.backward()
    print(x.grad)

    x_data = [1.0, 2.0, 3.0]
    y_data = [2.0, 4.0, 6.0]
    w, losses = train_linear(x_data, y_data)
    print(f"w after {len(losses)} epochs: {w:.6f}, last loss {losses[-1]:.3e}")

"""hw2 — autograd basics. Fill in every TODO; keep the names and signatures.

Run it with `python hw2.py`, grade it with `autograde submit hw2.py`.
"""

import torch


def train_linear(x_data, y_data, w_init=1.0, lr=0.01, epochs=100):
    """Fit the model y = x * w by per-sample SGD, using autograd for the gradient.

    w is a tensor with requires_grad=True, starting at w_init. For every epoch
    and every (x, y) pair: loss = (x * w - y) ** 2, loss.backward(), update w
    *outside* the graph (under torch.no_grad() or through w.data), then zero
    w.grad (backward() adds to it).

    Returns (w, losses): the final w as a float, and losses[e] = the loss of
    the last sample of epoch e (one entry per epoch).
    """
    w = torch.tensor([float(w_init)], requires_grad=True)
    losses = []
    for epoch in range(epochs):
        for x_val, y_val in zip(x_data, y_data):
            # TODO: loss, backward, update w outside the graph, zero the gradient
            pass
        # TODO: append the loss of the last sample of this epoch to `losses`
    return w.item(), losses


def mean_square_grad(x):
    """The gradient of mean(3 * (x + 2) ** 2) with respect to x, computed with autograd.

    For x = torch.ones(2, 2) every entry is 4.5. Returns a tensor shaped like x.
    """
    # TODO: make x a leaf that requires grad, build out, call out.backward(), return x.grad
    return torch.zeros_like(x)


def vector_jacobian_product(f, x, v):
    """x.grad after y = f(x); y.backward(v), i.e. the vector-Jacobian product v^T J."""
    # TODO
    return torch.zeros_like(x)


def no_grad_square(x):
    """x ** 2 computed under torch.no_grad(): right values, and requires_grad is False."""
    # TODO
    return torch.zeros_like(x)


if __name__ == "__main__":
    x_data = [1.0, 2.0, 3.0]
    y_data = [2.0, 4.0, 6.0]
    w, losses = train_linear(x_data, y_data)
    print("w after training:", w)

"""hw1: a two-layer network, forward and backward by hand, with NumPy only.

Network: h = x @ w1, h_relu = max(h, 0), y_pred = h_relu @ w2,
loss = sum((y_pred - y) ** 2). Fill in every TODO. Do not import torch,
jax, tensorflow or autograd: computing the gradients yourself is the point.
"""

import numpy as np


def forward(x, w1, w2):
    """Return y_pred of shape (N, D_out) for x (N, D_in), w1 (D_in, H), w2 (H, D_out)."""
    # TODO: the two matrix products with a ReLU in between.
    return np.zeros((x.shape[0], w2.shape[1]))


def loss_fn(y_pred, y):
    """Return the sum of squared errors as a Python float."""
    # TODO
    return 0.0


def backward(x, y, w1, w2):
    """Return (grad_w1, grad_w2): the gradients of loss_fn(forward(x, w1, w2), y)."""
    # TODO: chain rule, from the loss back to w2, then through the ReLU to w1.
    return np.zeros_like(w1), np.zeros_like(w2)


def train(x, y, w1, w2, learning_rate=1e-6, steps=500):
    """Plain gradient descent. Return (w1, w2, losses), losses[t] = loss before update t."""
    losses = []
    # TODO: for each step, record the loss, compute the gradients, update w1 and w2.
    return w1, w2, losses


if __name__ == "__main__":
    N, D_in, H, D_out = 64, 1000, 100, 10
    x = np.random.randn(N, D_in)
    y = np.random.randn(N, D_out)
    w1 = np.random.randn(D_in, H)
    w2 = np.random.randn(H, D_out)
    w1, w2, losses = train(x, y, w1, w2)
    if losses:
        loss = losses[-1]
        print(f"final loss: {loss:.3e}")

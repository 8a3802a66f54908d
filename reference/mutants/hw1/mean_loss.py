"""Mutant: mean instead of sum in the loss and its gradient.

Hint: the contract's loss is the sum over every element of (y_pred - y) ** 2.
Dividing by the number of elements scales the loss and every gradient by the
same constant, 1 / (N * D_out): drop the division wherever you made it, in loss_fn
or in backward.
"""

import numpy as np


def forward(x, w1, w2):
    return np.maximum(x @ w1, 0) @ w2


def loss_fn(y_pred, y):
    return float(np.square(y_pred - y).mean())


def backward(x, y, w1, w2):
    h = x @ w1
    h_relu = np.maximum(h, 0)
    y_pred = h_relu @ w2
    grad_y_pred = 2.0 * (y_pred - y) / y.size
    grad_w2 = h_relu.T @ grad_y_pred
    grad_h = grad_y_pred @ w2.T
    grad_h[h < 0] = 0
    return x.T @ grad_h, grad_w2


def train(x, y, w1, w2, learning_rate=1e-6, steps=500):
    losses = []
    for _ in range(steps):
        losses.append(loss_fn(forward(x, w1, w2), y))
        g1, g2 = backward(x, y, w1, w2)
        w1 = w1 - learning_rate * g1
        w2 = w2 - learning_rate * g2
    return w1, w2, losses

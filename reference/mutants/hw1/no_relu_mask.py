"""Mutant: backward forgets the ReLU mask, so gradient flows where h = x @ w1 < 0.

Hint: the ReLU passes no gradient where its input was negative: after
grad_h = grad_y_pred @ w2.T, set grad_h[h < 0] = 0 (or multiply by h > 0),
with h = x @ w1 from the forward pass, before grad_w1 = x.T @ grad_h.
"""

import numpy as np


def forward(x, w1, w2):
    return np.maximum(x @ w1, 0) @ w2


def loss_fn(y_pred, y):
    return float(np.square(y_pred - y).sum())


def backward(x, y, w1, w2):
    h = x @ w1
    h_relu = np.maximum(h, 0)
    grad_y_pred = 2.0 * (h_relu @ w2 - y)
    grad_w2 = h_relu.T @ grad_y_pred
    grad_h = grad_y_pred @ w2.T
    return x.T @ grad_h, grad_w2


def train(x, y, w1, w2, learning_rate=1e-6, steps=500):
    losses = []
    for _ in range(steps):
        losses.append(loss_fn(forward(x, w1, w2), y))
        g1, g2 = backward(x, y, w1, w2)
        w1 = w1 - learning_rate * g1
        w2 = w2 - learning_rate * g2
    return w1, w2, losses

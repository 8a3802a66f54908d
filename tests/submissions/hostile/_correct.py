"""A correct hw1 solution: every hostile case is appended to this file, so the
tests can show that the attack changes nothing else in the report."""

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
    grad_h[h < 0] = 0
    return x.T @ grad_h, grad_w2


def train(x, y, w1, w2, learning_rate=1e-6, steps=500):
    w1, w2, losses = w1.copy(), w2.copy(), []
    for _ in range(steps):
        losses.append(loss_fn(forward(x, w1, w2), y))
        grad_w1, grad_w2 = backward(x, y, w1, w2)
        w1 -= learning_rate * grad_w1
        w2 -= learning_rate * grad_w2
    return w1, w2, losses


_rng = np.random.default_rng(0)
x, y = _rng.standard_normal((64, 1000)), _rng.standard_normal((64, 10))
w1, w2, _losses = train(x, y, _rng.standard_normal((1000, 100)), _rng.standard_normal((100, 10)))
loss = _losses[-1]

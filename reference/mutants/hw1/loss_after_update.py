"""Mutant: train records the loss after each update instead of before it.

Hint: in each step, append the loss of the current weights first, then compute
the gradients and update: losses[0] is the loss of the weights train was given,
and the loss of the final weights is never recorded.
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
    grad_h[h < 0] = 0
    return x.T @ grad_h, grad_w2


def train(x, y, w1, w2, learning_rate=1e-6, steps=500):
    losses = []
    for _ in range(steps):
        g1, g2 = backward(x, y, w1, w2)
        w1 = w1 - learning_rate * g1
        w2 = w2 - learning_rate * g2
        losses.append(loss_fn(forward(x, w1, w2), y))
    return w1, w2, losses

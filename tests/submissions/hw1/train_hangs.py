# Bug: train never terminates; forward, loss and backward are right.
import numpy as np


def forward(x, w1, w2):
    return np.maximum(x @ w1, 0) @ w2


def loss_fn(y_pred, y):
    return float(((y_pred - y) ** 2).sum())


def backward(x, y, w1, w2):
    h = x @ w1
    h_relu = np.maximum(h, 0)
    g = 2.0 * (h_relu @ w2 - y)
    grad_h = g @ w2.T
    grad_h[h < 0] = 0
    return x.T @ grad_h, h_relu.T @ g


def train(x, y, w1, w2, learning_rate=1e-6, steps=500):
    losses = []
    t = 0
    while t < steps:  # forgot t += 1
        losses.append(loss_fn(forward(x, w1, w2), y))
    return w1, w2, losses

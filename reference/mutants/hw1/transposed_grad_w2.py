"""Mutant: backward returns grad_w2 transposed (grad_y_pred.T @ h_relu), shape (D_out, H).

Hint: a gradient has the shape of the weight it belongs to: w2 is (H, D_out),
so grad_w2 = h_relu.T @ grad_y_pred. Writing the product the other way round,
grad_y_pred.T @ h_relu, gives its transpose, which cannot update w2.
"""

import numpy as np


def forward(x, w1, w2):
    h = x @ w1
    h_relu = np.maximum(h, 0)
    return h_relu @ w2


def loss_fn(y_pred, y):
    return float(np.square(y_pred - y).sum())


def backward(x, y, w1, w2):
    h = x @ w1
    h_relu = np.maximum(h, 0)
    y_pred = h_relu @ w2
    grad_y_pred = 2.0 * (y_pred - y)
    grad_w2 = grad_y_pred.T @ h_relu
    grad_h_relu = grad_y_pred @ w2.T
    grad_h = grad_h_relu.copy()
    grad_h[h < 0] = 0
    grad_w1 = x.T @ grad_h
    return grad_w1, grad_w2


def train(x, y, w1, w2, learning_rate=1e-6, steps=500):
    w1 = w1.copy()
    w2 = w2.copy()
    losses = []
    for _ in range(steps):
        losses.append(loss_fn(forward(x, w1, w2), y))
        grad_w1, grad_w2 = backward(x, y, w1, w2)
        w1 -= learning_rate * grad_w1
        w2 = w2 - learning_rate * grad_w2
    return w1, w2, losses

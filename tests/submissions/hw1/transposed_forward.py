# Bug: forward returns the transpose, and backward returns the gradients swapped.
import numpy as np


def forward(x, w1, w2):
    return (np.maximum(x @ w1, 0) @ w2).T


def loss_fn(y_pred, y):
    return float(((y_pred - y) ** 2).sum())


def backward(x, y, w1, w2):
    h = x @ w1
    h_relu = np.maximum(h, 0)
    g = 2.0 * (h_relu @ w2 - y)
    grad_h = g @ w2.T
    grad_h[h < 0] = 0
    return h_relu.T @ g, x.T @ grad_h

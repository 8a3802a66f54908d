# Bug: the ReLU mask is inverted in backward (zeroes where h > 0).
import numpy as np


def forward(x, w1, w2):
    return np.maximum(x @ w1, 0) @ w2


def loss_fn(y_pred, y):
    return float(((y_pred - y) ** 2).sum())


def backward(x, y, w1, w2):
    h = x @ w1
    h_relu = np.maximum(h, 0)
    g = 2.0 * (h_relu @ w2 - y)
    grad_w2 = h_relu.T @ g
    grad_h = g @ w2.T
    grad_h[h > 0] = 0
    return x.T @ grad_h, grad_w2


def train(x, y, w1, w2, learning_rate=1e-6, steps=500):
    losses = []
    for _ in range(steps):
        losses.append(loss_fn(forward(x, w1, w2), y))
        g1, g2 = backward(x, y, w1, w2)
        w1, w2 = w1 - learning_rate * g1, w2 - learning_rate * g2
    return w1, w2, losses


if __name__ == "__main__":
    x, y = np.random.randn(64, 1000), np.random.randn(64, 10)
    w1, w2, losses = train(x, y, np.random.randn(1000, 100), np.random.randn(100, 10))
    loss = losses[-1]

"""An example student submission for hw1, with one typical bug left in."""

import numpy as np


def forward(x, w1, w2):
    h_relu = np.maximum(x @ w1, 0)
    return h_relu @ w2


def loss_fn(y_pred, y):
    return float(np.sum((y_pred - y) ** 2))


def backward(x, y, w1, w2):
    h = x @ w1
    h_relu = np.maximum(h, 0)
    grad_y_pred = 2.0 * (h_relu @ w2 - y)
    grad_w2 = h_relu.T @ grad_y_pred
    grad_h = (grad_y_pred @ w2.T) * (h > 0)
    grad_w1 = x.T @ grad_h
    return grad_w1, grad_w2


def train(x, y, w1, w2, learning_rate=1e-6, steps=500):
    losses = []
    for _ in range(steps):
        grad_w1, grad_w2 = backward(x, y, w1, w2)
        w1 = w1 - learning_rate * grad_w1
        w2 = w2 - learning_rate * grad_w2
        losses.append(loss_fn(forward(x, w1, w2), y))  # bug: loss after the update
    return w1, w2, losses


if __name__ == "__main__":
    N, D_in, H, D_out = 64, 1000, 100, 10
    x, y = np.random.randn(N, D_in), np.random.randn(N, D_out)
    w1, w2 = np.random.randn(D_in, H), np.random.randn(H, D_out)
    w1, w2, losses = train(x, y, w1, w2)
    loss = losses[-1]
    print(f"final loss: {loss:.3e}")

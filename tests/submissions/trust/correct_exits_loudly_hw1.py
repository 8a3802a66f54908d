# A correct solution whose script ends with sys.exit and a long message (a
# student dumping a log on the way out): only the script's own outcome is at stake.
import sys

import numpy as np


def forward(x, w1, w2):
    return np.maximum(x @ w1, 0) @ w2


def loss_fn(y_pred, y):
    return float(np.square(y_pred - y).sum())


def backward(x, y, w1, w2):
    h = x @ w1
    grad_y_pred = 2.0 * (np.maximum(h, 0) @ w2 - y)
    grad_h = grad_y_pred @ w2.T
    grad_h[h < 0] = 0
    return x.T @ grad_h, np.maximum(h, 0).T @ grad_y_pred


def train(x, y, w1, w2, learning_rate=1e-6, steps=500):
    losses = []
    for _ in range(steps):
        losses.append(loss_fn(forward(x, w1, w2), y))
        grad_w1, grad_w2 = backward(x, y, w1, w2)
        w1, w2 = w1 - learning_rate * grad_w1, w2 - learning_rate * grad_w2
    return w1, w2, losses


x, y = np.random.randn(64, 1000), np.random.randn(64, 10)
w1, w2, losses = train(x, y, np.random.randn(1000, 100), np.random.randn(100, 10))
loss = losses[-1]
sys.exit("training log:\n" + "\n".join(f"step {t}: loss {v}" for t, v in enumerate(losses)) * 20)

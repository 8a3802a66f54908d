"""A student's hw1: the product for grad_w2 is written in the wrong order.

`dy.T.dot(act)` is (D_out, H), the transpose of the gradient. Their train
noticed the shapes clash and transposes it back, so training is right: only
the checks of grad_w2 itself should fail.
"""

import numpy as np


def forward(x, w1, w2):
    act = np.clip(x.dot(w1), 0.0, None)
    return act.dot(w2)


def loss_fn(y_pred, y):
    diff = y_pred - y
    return float(np.sum(diff * diff))


def backward(x, y, w1, w2):
    pre = x.dot(w1)
    act = np.clip(pre, 0.0, None)
    dy = 2.0 * (act.dot(w2) - y)
    dw2 = dy.T.dot(act)  # should be act.T.dot(dy)
    dpre = dy.dot(w2.T) * (pre > 0)
    dw1 = x.T.dot(dpre)
    return dw1, dw2


def train(x, y, w1, w2, learning_rate=1e-6, steps=500):
    losses = []
    for _ in range(steps):
        losses.append(loss_fn(forward(x, w1, w2), y))
        dw1, dw2 = backward(x, y, w1, w2)
        w1 = w1 - learning_rate * dw1
        w2 = w2 - learning_rate * dw2.T  # "fixes" the shape clash here
    return w1, w2, losses


if __name__ == "__main__":
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 1000))
    y = rng.standard_normal((64, 10))
    w1 = rng.standard_normal((1000, 100))
    w2 = rng.standard_normal((100, 10))
    w1, w2, losses = train(x, y, w1, w2)
    loss = losses[-1]
    print("final loss", loss)

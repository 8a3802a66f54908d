# The right numbers, in every form that is not a numeric array: text arrays,
# object arrays, bytes, structured and datetime arrays, numeric strings.
import numpy as np


def _right_forward(x, w1, w2):
    return np.maximum(x @ w1, 0) @ w2


def forward(x, w1, w2):
    return _right_forward(x, w1, w2).astype(str)


def loss_fn(y_pred, y):
    return repr(float(np.square(np.asarray(y_pred, dtype=float) - y).sum()))


def backward(x, y, w1, w2):
    h = x @ w1
    grad_y_pred = 2.0 * (np.maximum(h, 0) @ w2 - y)
    grad_w2 = np.maximum(h, 0).T @ grad_y_pred
    grad_h = grad_y_pred @ w2.T
    grad_h[h < 0] = 0
    return (x.T @ grad_h).astype(object), grad_w2.astype("S32")


def train(x, y, w1, w2, learning_rate=1e-6, steps=500):
    losses = []
    for _ in range(steps):
        losses.append(str(float(np.square(_right_forward(x, w1, w2) - y).sum())))
        grad_w1, grad_w2 = (np.asarray(g, dtype=float) for g in backward(x, y, w1, w2))
        w1, w2 = w1 - learning_rate * grad_w1, w2 - learning_rate * grad_w2
    structured = np.zeros(w1.shape, dtype=[("value", "f8")])
    structured["value"] = w1
    return structured, w2.astype("datetime64[ns]"), np.array(losses)


x, y = np.ones((2, 3)), np.ones((2, 1)).astype(str)
w1, w2 = np.ones((3, 4)).astype(object), np.array([[b"0"]] * 4)

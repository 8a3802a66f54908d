# A correct hw1 written differently from the reference: np.dot, a boolean
# mask multiply, in-place updates of the caller's arrays, a while loop.
import numpy as np


def relu(z):
    return z * (z > 0)


def forward(x, w1, w2):
    return np.dot(relu(np.dot(x, w1)), w2)


def loss_fn(y_pred, y):
    diff = y_pred - y
    return np.sum(diff * diff)


def backward(x, y, w1, w2):
    pre = np.dot(x, w1)
    act = relu(pre)
    dout = 2 * (np.dot(act, w2) - y)
    dw2 = np.dot(act.T, dout)
    dpre = np.dot(dout, w2.T) * (pre > 0)
    dw1 = np.dot(x.T, dpre)
    return dw1, dw2


def train(x, y, w1, w2, learning_rate=1e-6, steps=500):
    history = []
    t = 0
    while t < steps:
        history.append(loss_fn(forward(x, w1, w2), y))
        dw1, dw2 = backward(x, y, w1, w2)
        w1 -= learning_rate * dw1
        w2 -= learning_rate * dw2
        t += 1
    return w1, w2, history


if __name__ == "__main__":
    rng = np.random.default_rng(7)
    x, y = rng.standard_normal((64, 1000)), rng.standard_normal((64, 10))
    w1, w2 = rng.standard_normal((1000, 100)), rng.standard_normal((100, 10))
    w1, w2, losses = train(x, y, w1, w2)
    for t in range(0, 500, 100):
        print(t, losses[t])

# Return objects that run code when unpickled, arrays of them, and an ndarray subclass.
import numpy as np


class Payload:
    def __reduce__(self):
        return (open, ("@PWNED@", "w"))


class EvilArray(np.ndarray):
    def __reduce__(self):
        return (open, ("@PWNED@", "w"))


_train, _forward, _backward = train, forward, backward


def forward(x, w1, w2):  # noqa: F811 -- train below keeps using the correct one
    return Payload()


def backward(x, y, w1, w2):  # noqa: F811
    grad_w1 = np.empty(w1.shape, dtype=object)
    grad_w1[...] = Payload()
    return grad_w1, np.zeros_like(w2)


def train(x, y, w1, w2, learning_rate=1e-6, steps=500):  # noqa: F811
    globals().update(forward=_forward, backward=_backward)
    w1, w2, losses = _train(x, y, w1, w2, learning_rate, steps)
    return w1.view(EvilArray), w2, losses

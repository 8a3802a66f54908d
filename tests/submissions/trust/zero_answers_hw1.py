# Consistent garbage: a forward of zeros, a loss of zero, zero gradients, and a
# train that moves nothing and reports losses [1, 0].
import numpy as np


def forward(x, w1, w2):
    return np.zeros((x.shape[0], w2.shape[1]))


def loss_fn(y_pred, y):
    return 0.0


def backward(x, y, w1, w2):
    return np.zeros_like(w1), np.zeros_like(w2)


def train(x, y, w1, w2, learning_rate=1e-6, steps=500):
    return w1, w2, [1.0, 0.0]


loss = 0.0

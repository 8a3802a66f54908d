# Not the network: a "forward" that is the sum of all weights, a "loss" that is
# the sum of the predictions, and the exact gradients of that loss.
import numpy as np


def forward(x, w1, w2):
    return np.full((x.shape[0], w2.shape[1]), w1.sum() + w2.sum())


def loss_fn(y_pred, y):
    return float(np.sum(y_pred))


def backward(x, y, w1, w2):
    count = float(x.shape[0] * w2.shape[1])
    return np.full(w1.shape, count), np.full(w2.shape, count)
